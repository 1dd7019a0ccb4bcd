import { firstN, wireSec, type BoardModel, type ClusterModel } from './model.js';

/**
 * Tile parallelism: one image cut into horizontal strips, one per board, each strip as tall as the board's
 * share of the speed (rows in multiples of the model's total stride so strips start on the latent grid),
 * widened by the halo the receptive field requires at each interior edge. The master sends the strips
 * one after another over its link, each board codes its strip (entropy coding included: strips give
 * independent bitstreams), the results come back over the link and the master stitches them (one copy
 * of the output). The halo rows are computed twice — by both neighbours — which is the overhead.
 */

export interface Strip {
  board: string;
  /** Rows of the output this strip owns, and rows it reads (with its halo). */
  rows: number;
  rowsIn: number;
  inBytes: number;
  outBytes: number;
  /** When the strip reaches its board, the board is done, and its result is back at the master (s). */
  arriveSec: number;
  doneSec: number;
  backSec: number;
  periodSec: number;
}

export interface TileResult {
  width: number;
  height: number;
  /** Boards offered, and used (the best subset of those offered). */
  offered: number;
  n: number;
  haloRows: number;
  /** Extra rows computed, as a fraction of the image (Σ rowsIn / height − 1). */
  haloOverhead: number;
  /** Latency of one image: first send to the stitched output (ms). */
  latencyMs: number;
  stitchMs: number;
  /** Images per second when images stream through the cluster, each split across all N boards. */
  fps: number;
  limit: 'boards' | 'master link' | 'master CPU';
  strips: Strip[];
}

/** Split `units` whole units into shares proportional to `weights` (largest remainder, ties by index), at least one each while units last. */
export function proportionalSplit(units: number, weights: number[]): number[] {
  const n = weights.length;
  if (units <= n) return weights.map((_, i) => (i < units ? 1 : 0));
  const rest = units - n;
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (rest * w) / total);
  const out = exact.map((x) => 1 + Math.floor(x));
  let left = units - out.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ r: x - Math.floor(x), i })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) out[order[k % n].i]++;
  return out;
}

/**
 * Latency (and streaming throughput) of one width×height image on the best subset of `boards`: the master
 * uses the k fastest for the k that gives the lowest latency, since a slow board's strip (halo included)
 * can finish after the others would have finished without it. `n` in the result is the boards used.
 */
export function tileLatency(c: ClusterModel, boards: BoardModel[], width: number, height: number): TileResult {
  const bySpeed = boards.map((b, i) => ({ b, i })).sort((x, y) => x.b.periodSec - y.b.periodSec || x.i - y.i).map((x) => x.b);
  let best: TileResult | undefined;
  for (let k = 1; k <= bySpeed.length; k++) {
    const r = stripLatency(c, bySpeed.slice(0, k), width, height);
    if (!best || r.latencyMs < best.latencyMs - 1e-9) best = r;
  }
  if (!best) throw new Error('tileLatency: no boards');
  return { ...best, offered: boards.length };
}

/**
 * Latency (and streaming throughput) of one width×height image split across all of `boards`. Board speed
 * for the split is its full-frame rate; each strip's time comes from the board's own estimate at the strip's size.
 */
export function stripLatency(c: ClusterModel, boards: BoardModel[], width: number, height: number): TileResult {
  const t = c.tile;
  if (!t) throw new Error('tileLatency: the cluster has no tile model');
  const m = t.rowMultiple;
  const units = Math.ceil(height / m);
  const share = proportionalSplit(units, boards.map((b) => 1 / b.periodSec));
  const used = boards.filter((_, i) => share[i] > 0);
  const pixelsIn = c.frame.inBytesPerPixel;
  const pixelsOut = c.frame.outBytesPerPixel;
  const master = c.master;
  const strips: Strip[] = [];
  let start = 0;
  let outFree = 0;
  let cpuFree = 0;
  used.forEach((b) => {
    const rows = Math.min(share[boards.indexOf(b)] * m, height - start);
    const top = Math.min(t.haloRows, start);
    const bottom = Math.min(t.haloRows, height - start - rows);
    const rowsIn = rows + top + bottom;
    start += rows;
    if (!b.tile) throw new Error(`tileLatency: board ${b.id} has no strip timing`);
    const timing = b.tile(width, rowsIn);
    const inBytes = width * rowsIn * pixelsIn;
    const outBytes = width * rows * pixelsOut;
    cpuFree += master.messageSec;
    const s = Math.max(cpuFree, outFree);
    outFree = s + wireSec(inBytes, master.link);
    const arriveSec = Math.max(outFree, s + wireSec(inBytes, b.link)) + master.link.latencySec + b.link.latencySec;
    const doneSec = arriveSec + timing.latencySec;
    // Streaming, a board takes a strip per period of its compute or of its own link, whichever is slower.
    const periodSec = Math.max(timing.periodSec, wireSec(Math.max(inBytes, outBytes), b.link));
    strips.push({ board: b.id, rows, rowsIn, inBytes, outBytes, arriveSec, doneSec, backSec: 0, periodSec });
  });
  // Results come back in the order they finish, one after another on the master's inbound link.
  let inFree = 0;
  let recvFree = 0;
  const entropyPerRow = c.entropy === 'master' ? c.frame.symbols / c.frame.height / master.entropySymbolsPerSec : 0;
  for (const st of [...strips].sort((a, b) => a.doneSec - b.doneSec || strips.indexOf(a) - strips.indexOf(b))) {
    const b = boards.find((x) => x.id === st.board)!;
    const s = Math.max(st.doneSec, inFree);
    inFree = s + wireSec(st.outBytes, master.link);
    const back = Math.max(inFree, st.doneSec + wireSec(st.outBytes, b.link)) + master.link.latencySec + b.link.latencySec;
    recvFree = Math.max(recvFree, back) + master.messageSec + entropyPerRow * st.rows;
    st.backSec = back;
  }
  const outTotal = strips.reduce((s, x) => s + x.outBytes, 0);
  const inTotal = strips.reduce((s, x) => s + x.inBytes, 0);
  const stitchSec = outTotal / master.copyBytesPerSec;
  const rowsInTotal = strips.reduce((s, x) => s + x.rowsIn, 0);
  // Streaming: the slowest strip paces the boards; the master's link carries every strip and result.
  const boardsFps = 1 / Math.max(...strips.map((s) => s.periodSec));
  const linkFps = 1 / wireSec(Math.max(inTotal, outTotal), master.link);
  const cpuFps = master.cores / (2 * strips.length * master.messageSec + stitchSec + entropyPerRow * height);
  let fps = boardsFps;
  let limit: TileResult['limit'] = 'boards';
  if (linkFps < fps) { fps = linkFps; limit = 'master link'; }
  if (cpuFps < fps) { fps = cpuFps; limit = 'master CPU'; }
  return {
    width, height, offered: boards.length, n: strips.length, haloRows: t.haloRows,
    haloOverhead: rowsInTotal / height - 1,
    latencyMs: (recvFree + stitchSec) * 1e3,
    stitchMs: stitchSec * 1e3,
    fps, limit, strips,
  };
}

/** Latency against N for one image size: the first N boards of the cluster (repeated in order when N exceeds it). */
export function tileLatencyCurve(c: ClusterModel, width: number, height: number, maxN: number): TileResult[] {
  return Array.from({ length: maxN }, (_, i) => tileLatency(c, firstN(c, i + 1), width, height));
}
