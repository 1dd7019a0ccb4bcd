import type { BoardModel, ClusterModel } from './model.js';
import { boardCapacity, clusterThroughput } from './throughput.js';
import { tileLatency } from './tiles.js';

/** The cluster's throughput with these boards up, under its split policy. */
export function splitFps(c: ClusterModel, up: BoardModel[]): number {
  if (!up.length) return 0;
  return c.split === 'tile' ? tileLatency(c, up, c.frame.width, c.frame.height).fps : clusterThroughput(c, up).fps;
}

/**
 * Steady-state availability of the cluster. Each board alternates between up (exponential with mean MTBF)
 * and down (mean MTTR) independently of the others: a two-state Markov chain whose stationary probability
 * of being up is A = MTBF / (MTBF + MTTR). Independent chains have a product-form stationary distribution,
 * so the number of identical boards up is binomial(n, A) and mixed boards are a product of binomials
 * (one per group of identical boards). The master is assumed up (it is a single point of failure that
 * no number of boards removes). Detection delay is neglected here (seconds against MTBFs of hours);
 * the simulation includes it.
 */

export function boardAvailability(b: Pick<BoardModel, 'mtbfHours' | 'mttrHours'>): number {
  if (b.mtbfHours === undefined || b.mttrHours === undefined) return 1;
  return b.mtbfHours / (b.mtbfHours + b.mttrHours);
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** P(K = k) for K ~ binomial(n, a), computed in logs so large n does not overflow. */
export function binomialPmf(n: number, k: number, a: number): number {
  if (a >= 1) return k === n ? 1 : 0;
  if (a <= 0) return k === 0 ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(a) + (n - k) * Math.log(1 - a));
}

interface Group { boards: BoardModel[]; availability: number }

/** Boards with the same capacity, link and availability are interchangeable. */
function groups(c: ClusterModel): Group[] {
  const out = new Map<string, Group>();
  for (const b of c.boards) {
    const a = boardAvailability(b);
    const key = `${boardCapacity(b, c).fps}|${b.latencySec}|${b.link.name}|${a}`;
    const g = out.get(key) ?? { boards: [], availability: a };
    g.boards.push(b);
    out.set(key, g);
  }
  return [...out.values()];
}

export interface StateProbability {
  /** Boards up per group. */
  up: number;
  fps: number;
  probability: number;
}

/** Every up-state of the cluster with its stationary probability and throughput (product of binomials). */
export function upStates(c: ClusterModel): StateProbability[] {
  const gs = groups(c);
  const states: StateProbability[] = [];
  const counts = gs.map(() => 0);
  const walk = (gi: number, prob: number, upBoards: BoardModel[]) => {
    if (gi === gs.length) {
      states.push({ up: upBoards.length, fps: splitFps(c, upBoards), probability: prob });
      return;
    }
    const g = gs[gi];
    for (let k = 0; k <= g.boards.length; k++) {
      counts[gi] = k;
      const p = binomialPmf(g.boards.length, k, g.availability);
      if (p > 0) walk(gi + 1, prob * p, [...upBoards, ...g.boards.slice(0, k)]);
    }
  };
  walk(0, 1, []);
  return states;
}

export interface Availability {
  /** P(throughput ≥ target) at steady state. */
  probability: number;
  /** Long-run mean throughput. */
  expectedFps: number;
  targetFps: number;
  /** Per-board availability (first board's, and whether all boards share it). */
  boardAvailability: number[];
}

export function availability(c: ClusterModel, targetFps: number): Availability {
  const states = upStates(c);
  // A relative tolerance so that "exactly the target" (e.g. N·fps with N = target/fps) counts as met.
  const meets = (fps: number) => fps >= targetFps * (1 - 1e-12);
  return {
    probability: states.filter((s) => meets(s.fps)).reduce((s, x) => s + x.probability, 0),
    expectedFps: states.reduce((s, x) => s + x.fps * x.probability, 0),
    targetFps,
    boardAvailability: c.boards.map(boardAvailability),
  };
}

export interface BoardsNeeded {
  /** Smallest N of boards like `template` with P(FPS ≥ target) ≥ probability, or null when none up to maxN does. */
  n: number | null;
  probability: number;
  /** Why none suffices (the master's caps), when n is null. */
  reason?: string;
}

/**
 * The number of boards like `template` needed so the cluster meets `targetFps` with at least
 * `probability` at steady state. Adding boards cannot lift the master's link or CPU cap: if those are
 * below the target the answer is null, with the reason.
 */
export function boardsNeeded(c: ClusterModel, template: BoardModel, targetFps: number, probability: number, maxN = c.split === 'tile' ? 32 : 512): BoardsNeeded {
  const at = (n: number) => {
    const boards = Array.from({ length: n }, (_, i) => ({ ...template, id: `${template.platform}#${i + 1}` }));
    return availability({ ...c, boards }, targetFps).probability;
  };
  const capped = clusterThroughput({ ...c, boards: [template] });
  const masterCap = Math.min(capped.masterLinkFps, capped.masterCpuFps);
  if (c.split === 'frame' && masterCap < targetFps * (1 - 1e-12)) {
    return { n: null, probability: 0, reason: `the master caps the cluster at ${masterCap.toFixed(2)} FPS (${capped.masterLinkFps <= capped.masterCpuFps ? 'master link' : 'master CPU'}), below the target` };
  }
  for (let n = 1; n <= maxN; n++) {
    const p = at(n);
    if (p >= probability) return { n, probability: p };
  }
  return { n: null, probability: at(maxN), reason: `no N up to ${maxN} reaches probability ${probability}` };
}
