/**
 * A one-line progress bar with ETA on a terminal's stderr; silent when stderr is not a TTY (piped,
 * redirected) or under CI (CI=true), so that logs stay clean.
 */
export class Progress {
  private readonly t0 = Date.now();
  private last = 0;
  private done = 0;
  private readonly enabled: boolean;

  constructor(private readonly total: number, private readonly what = 'jobs', enabled?: boolean, private readonly out: NodeJS.WriteStream = process.stderr) {
    this.enabled = enabled ?? Progress.wanted(out);
  }

  /** A bar is drawn only on an interactive terminal and outside CI. */
  static wanted(out: NodeJS.WriteStream = process.stderr): boolean {
    const ci = process.env.CI;
    return !!out.isTTY && !(ci && ci !== 'false' && ci !== '0');
  }

  tick(note = ''): void {
    this.done++;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && this.done < this.total) return;
    this.last = now;
    const cols = Math.max(60, Math.min(120, this.out.columns || 80));
    const frac = this.total ? this.done / this.total : 1;
    const elapsed = (now - this.t0) / 1000;
    const eta = this.done ? (elapsed / this.done) * (this.total - this.done) : 0;
    const head = `${this.done}/${this.total} ${this.what} ${Math.floor(frac * 100)}% ${clock(elapsed)} ETA ${clock(eta)} `;
    const width = Math.max(10, Math.min(30, cols - head.length - 20));
    const filled = Math.round(frac * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] `;
    const line = `${bar}${head}${note}`.slice(0, cols - 1);
    this.out.write(`\r${line}\x1b[K`);
  }

  /** Clear the bar's line. */
  end(): void {
    if (this.enabled) this.out.write('\r\x1b[K');
  }
}

function clock(s: number): string {
  const t = Math.max(0, Math.round(s));
  const m = Math.floor(t / 60);
  return `${m}:${String(t % 60).padStart(2, '0')}`;
}
