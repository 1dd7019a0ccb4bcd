import { wireSec, type BoardModel, type ClusterModel } from './model.js';

/**
 * Closed-form throughput and latency of a frame-parallel cluster. The master deals whole frames to the
 * boards in proportion to their speed (a work-conserving scheduler: every board busy whenever frames
 * wait), so the boards together deliver the sum of their rates — unless the master's link or CPU caps it.
 * Links are full duplex: images out and results back use separate directions, so a link carries
 * max(in, out) bytes per frame.
 */

export type Limit = 'boards' | 'master link' | 'master CPU';

export interface BoardShare {
  id: string;
  /** Frames/s the board can take: its estimate, capped by its own link. */
  capacityFps: number;
  /** What limits it. */
  bound: 'compute' | 'link';
  /** Frames/s it gets at the cluster's throughput (proportional to capacity). */
  fps: number;
  /** One frame from the master's dispatch to the result back at the master, unloaded. */
  latencyMs: number;
}

export interface Throughput {
  fps: number;
  limit: Limit;
  /** The three caps: sum of board capacities, master link, master CPU. */
  boardsFps: number;
  masterLinkFps: number;
  masterCpuFps: number;
  /** Unloaded latency of one frame on the fastest board (what a lightly loaded cluster gives). */
  latencyMs: number;
  boards: BoardShare[];
  /** Boards counted (healthy). */
  up: number;
}

/** Frames/s a board takes: compute period or its own link, whichever is slower. */
export function boardCapacity(b: BoardModel, c: ClusterModel): { fps: number; bound: 'compute' | 'link' } {
  const link = wireSec(Math.max(c.frame.inBytes, c.frame.outBytes), b.link);
  return link > b.periodSec ? { fps: 1 / link, bound: 'link' } : { fps: 1 / b.periodSec, bound: 'compute' };
}

/** Master CPU seconds per frame: one send and one receive, plus entropy coding when the master codes. */
export function masterCpuSec(c: ClusterModel): number {
  return 2 * c.master.messageSec + (c.entropy === 'master' ? c.frame.symbols / c.master.entropySymbolsPerSec : 0);
}

/**
 * One message from the master to a board (or back): the master link's wire time, plus what the slower
 * board link adds (cut-through: the slower end sets the pace), plus the fixed cost at both ends.
 */
export function messageSec(bytes: number, b: BoardModel, c: ClusterModel): number {
  const m = wireSec(bytes, c.master.link);
  return Math.max(m, wireSec(bytes, b.link)) + c.master.link.latencySec + b.link.latencySec;
}

/** Unloaded latency of one frame on board b: dispatch, image out, board, result back, receive (+ master entropy coding). */
export function frameLatencySec(b: BoardModel, c: ClusterModel): number {
  return masterCpuSec(c) + messageSec(c.frame.inBytes, b, c) + b.latencySec + messageSec(c.frame.outBytes, b, c);
}

/**
 * Frames a board may have outstanding (sent, not yet answered): at least `window`, and enough to cover a
 * frame's round trip so that the window never idles a board by itself.
 */
export function boardWindow(b: BoardModel, c: ClusterModel, window: number): number {
  const period = 1 / boardCapacity(b, c).fps;
  return Math.max(window, Math.ceil(Math.max(frameLatencySec(b, c), b.latencySec) / period) + 1);
}

/**
 * Latency at saturation when the master keeps every window full (a closed system): by Little's law the
 * frames in the system divided by the throughput, plus the receive job the window does not count.
 */
export function saturatedLatencyMs(c: ClusterModel, up: BoardModel[], window: number): number {
  const t = clusterThroughput(c, up);
  if (!t.fps) return Infinity;
  const inSystem = up.reduce((s, b) => s + boardWindow(b, c, window), 0);
  return (inSystem / t.fps + (masterCpuSec(c) - c.master.messageSec)) * 1e3;
}

/** Throughput and latency with the given boards up (default: all). */
export function clusterThroughput(c: ClusterModel, up: BoardModel[] = c.boards): Throughput {
  const caps = up.map((b) => boardCapacity(b, c));
  const boardsFps = caps.reduce((s, x) => s + x.fps, 0);
  const masterLinkFps = 1 / wireSec(Math.max(c.frame.inBytes, c.frame.outBytes), c.master.link);
  const masterCpuFps = c.master.cores / masterCpuSec(c);
  let fps = boardsFps;
  let limit: Limit = 'boards';
  if (masterLinkFps < fps) { fps = masterLinkFps; limit = 'master link'; }
  if (masterCpuFps < fps) { fps = masterCpuFps; limit = 'master CPU'; }
  const boards = up.map((b, i) => ({
    id: b.id, capacityFps: caps[i].fps, bound: caps[i].bound,
    fps: boardsFps > 0 ? (fps * caps[i].fps) / boardsFps : 0,
    latencyMs: frameLatencySec(b, c) * 1e3,
  }));
  const latencyMs = boards.length ? Math.min(...boards.map((b) => b.latencyMs)) : Infinity;
  return { fps: up.length ? fps : 0, limit, boardsFps, masterLinkFps, masterCpuFps, latencyMs, boards, up: up.length };
}

/**
 * The boards left when k fail, worst case: the k fastest go (for identical boards any k are the same).
 * Ties keep the file's order, so the result is deterministic.
 */
export function survivors(c: ClusterModel, k: number): BoardModel[] {
  const order = c.boards.map((b, i) => ({ b, i, fps: boardCapacity(b, c).fps })).sort((x, y) => y.fps - x.fps || x.i - y.i);
  const gone = new Set(order.slice(0, k).map((x) => x.i));
  return c.boards.filter((_, i) => !gone.has(i));
}

/** Throughput with 0..N boards failed (worst case each; all N failed is 0 FPS). */
export function degradation(c: ClusterModel): (Throughput & { failed: number })[] {
  return Array.from({ length: c.boards.length + 1 }, (_, k) => ({ failed: k, ...clusterThroughput(c, survivors(c, k)) }));
}
