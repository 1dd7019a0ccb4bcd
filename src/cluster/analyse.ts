import { availability, boardAvailability, boardsNeeded, type Availability, type BoardsNeeded } from './availability.js';
import { firstN, type BoardModel, type ClusterModel } from './model.js';
import { simulate, type SimulationOptions, type SimulationResult } from './simulate.js';
import { boardCapacity, clusterThroughput, saturatedLatencyMs, survivors, type Limit } from './throughput.js';
import { tileLatency, tileLatencyCurve, type TileResult } from './tiles.js';

/**
 * Everything `lic-dse cluster` reports, as one plain object (pure: the simulation is seeded). The
 * headline follows the split policy: frame parallel — the closed-form throughput and latency; tile
 * parallel — one image split across the boards.
 */

export interface Headline {
  failed: number;
  up: number;
  fps: number;
  limit: Limit;
  /** One frame (frame parallel: unloaded, fastest board) or one image split across the boards (tile parallel). */
  latencyMs: number;
  /** Frame parallel: latency when the master keeps every board's window full (Little's law). */
  saturatedLatencyMs: number | null;
  boardsFps: number;
  masterLinkFps: number;
  masterCpuFps: number;
}

export interface BoardRow {
  id: string;
  platform: string;
  link: string;
  /** Frames/s from the board's own estimate (entropy coder included when the board codes). */
  estimateFps: number;
  /** After its own link: what the cluster can draw from it. */
  capacityFps: number;
  bound: 'compute' | 'link';
  latencyMs: number;
  availability: number;
}

export interface SimulationSummary {
  /** Steady state with k boards masked from the start (no random failures; arrivals 1.5 × capacity), one run per seed. */
  steady: { failed: number; seeds: number[]; fps: number[]; meanFps: number; closedFormFps: number; errorPct: number }[];
  /** The main run: --failed k masked, random failures from MTBF/MTTR. */
  run: SimulationResult;
}

export interface ClusterReport {
  name: string;
  split: 'frame' | 'tile';
  entropy: 'board' | 'master';
  master: { name: string; link: string; cores: number };
  frame: ClusterModel['frame'];
  boards: BoardRow[];
  healthy: Headline;
  /** With --failed k: the worst case (fastest k boards down). */
  degraded: Headline | null;
  /** 0..N boards failed. */
  degradation: Headline[];
  /** FPS against N: the cluster's boards in order, repeated past the end. */
  scaling: { n: number; fps: number; limit: Limit; latencyMs: number }[];
  availability: (Availability & { needed: BoardsNeeded & { template: string; targetProbability: number } }) | null;
  tiles: { haloRows: number; receptiveField: number; haloFrom: string; rowMultiple: number; curves: { width: number; height: number; points: TileResult[] }[] } | null;
  simulation: SimulationSummary | null;
}

export interface AnalyseOptions {
  failed?: number;
  target?: { fps: number; probability: number };
  /** Largest N for the scaling and tile curves (default max(8, 2 × boards)). */
  maxN?: number;
  /** Image sizes for the tile curves. */
  tileSizes?: { width: number; height: number }[];
  simulate?: SimulationOptions & { steadySeeds: number[] };
}

export const DEFAULT_TILE_SIZES = [{ width: 1024, height: 1024 }, { width: 3840, height: 2160 }];

function headline(c: ClusterModel, up: BoardModel[], failed: number, window: number): Headline {
  const t = clusterThroughput(c, up);
  if (c.split === 'tile' && up.length) {
    const r = tileLatency(c, up, c.frame.width, c.frame.height);
    return { failed, up: up.length, fps: r.fps, limit: r.limit, latencyMs: r.latencyMs, saturatedLatencyMs: null, boardsFps: t.boardsFps, masterLinkFps: t.masterLinkFps, masterCpuFps: t.masterCpuFps };
  }
  return {
    failed, up: up.length, fps: t.fps, limit: t.limit, latencyMs: t.latencyMs,
    saturatedLatencyMs: up.length ? saturatedLatencyMs(c, up, window) : null,
    boardsFps: t.boardsFps, masterLinkFps: t.masterLinkFps, masterCpuFps: t.masterCpuFps,
  };
}

export function analyseCluster(c: ClusterModel, o: AnalyseOptions = {}): ClusterReport {
  const n = c.boards.length;
  const failed = o.failed ?? 0;
  if (failed > n) throw new RangeError(`failed ${failed} > ${n} boards`);
  const window = o.simulate?.window ?? 2;
  const maxN = o.maxN ?? Math.max(8, 2 * n);
  const boards: BoardRow[] = c.boards.map((b) => {
    const cap = boardCapacity(b, c);
    return {
      id: b.id, platform: b.platform, link: b.link.name, estimateFps: 1 / b.periodSec, capacityFps: cap.fps, bound: cap.bound,
      latencyMs: b.latencySec * 1e3, availability: boardAvailability(b),
    };
  });
  const degradation = Array.from({ length: n + 1 }, (_, k) => headline(c, survivors(c, k), k, window));
  const scaling = Array.from({ length: maxN }, (_, i) => {
    const h = headline(c, firstN(c, i + 1), 0, window);
    return { n: i + 1, fps: h.fps, limit: h.limit, latencyMs: h.latencyMs };
  });
  let avail: ClusterReport['availability'] = null;
  if (o.target) {
    const a = availability(c, o.target.fps);
    const needed = boardsNeeded(c, c.boards[0], o.target.fps, o.target.probability);
    avail = { ...a, needed: { ...needed, template: c.boards[0].platform, targetProbability: o.target.probability } };
  }
  let tiles: ClusterReport['tiles'] = null;
  if (c.tile) {
    const sizes = o.tileSizes ?? DEFAULT_TILE_SIZES;
    tiles = {
      haloRows: c.tile.haloRows, receptiveField: c.tile.receptiveField, haloFrom: c.tile.haloFrom, rowMultiple: c.tile.rowMultiple,
      curves: sizes.map((s) => ({ ...s, points: tileLatencyCurve(c, s.width, s.height, maxN) })),
    };
  }
  let simulation: SimulationSummary | null = null;
  if (o.simulate && c.split === 'frame') {
    const s = o.simulate;
    const steady = Array.from({ length: n }, (_, k) => {
      // Poisson arrivals at 1.5 × the closed form's capacity: the queue stays full, and each seed is a different run.
      const closedFormFps = degradation[k].fps;
      const fps = s.steadySeeds.map((seed) => simulate(c, { ...s, seed, failed: k, randomFailures: false, arrivalFps: 1.5 * closedFormFps }).fps);
      const meanFps = fps.reduce((a, b) => a + b, 0) / fps.length;
      return { failed: k, seeds: s.steadySeeds, fps, meanFps, closedFormFps, errorPct: (100 * (meanFps - closedFormFps)) / closedFormFps };
    });
    simulation = { steady, run: simulate(c, { ...s, failed }) };
  }
  return {
    name: c.name, split: c.split, entropy: c.entropy,
    master: { name: c.master.name, link: c.master.link.name, cores: c.master.cores },
    frame: c.frame, boards,
    healthy: degradation[0],
    degraded: failed > 0 ? degradation[failed] : null,
    degradation, scaling, availability: avail, tiles, simulation,
  };
}
