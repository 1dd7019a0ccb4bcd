import type { FitResult } from '../search/fit.js';

/** One cell of the fit table: the widest student's widths and FPS, or why none reaches the target. */
export function fitCell(r: FitResult, channelParams: string[]): string {
  const widths = (p: Record<string, number>) => channelParams.map((k) => `${k}=${p[k]}`).join(' ');
  if (r.met && r.student) {
    const s = r.student;
    const size = r.nextWider ? `${(100 * r.ratio!.macs).toFixed(0)}% of the MACs` : 'full width';
    return `${widths(s.rung.params)} (${size}, ${s.fps.toFixed(1)} FPS)`;
  }
  const n = r.narrowest!;
  const limit = n.paths.filter((p) => p.fps < r.target).map((p) => shortBound(p.bottleneck))[0] ?? '';
  return `— (${widths(n.rung.params)}: ${n.fps.toFixed(1)} FPS, ${limit})`;
}

/** The bottleneck in a few words for a table cell. */
export function shortBound(b: string): string {
  if (b.startsWith('entropy coder')) return 'entropy coder';
  if (b.startsWith('serial context')) return 'serial context chain';
  if (b.startsWith('slice sequence')) return 'slice chain';
  if (b.startsWith('off-chip') || b.includes('(memory)')) return 'bandwidth';
  if (b.startsWith('resource caps') || b.startsWith('no feasible')) return 'resource caps';
  if (b.startsWith('compute roof') || b.includes('(compute)')) return 'compute';
  if (b.includes('(latency)')) return 'transfer latency';
  if (b.includes('(overhead)')) return 'control overhead';
  return b.split(' (')[0];
}

/** A markdown table: a row per model, a column per board × path. */
export function fitTableMarkdown(title: string, models: string[], columns: string[], cells: Map<string, string>): string {
  const head = `| ${['model', ...columns].join(' | ')} |`;
  const rule = `|${['---', ...columns.map(() => '---')].join('|')}|`;
  const rows = models.map((m) => `| ${[m, ...columns.map((c) => cells.get(`${m}|${c}`) ?? '')].join(' | ')} |`);
  return [`**${title}**`, '', head, rule, ...rows, ''].join('\n');
}
