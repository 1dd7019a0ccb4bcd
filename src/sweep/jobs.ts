import { UserError } from '../errors.js';
import type { ExploreRequest } from '../mapping/base-point.js';
import type { Arch } from '../mapping/schema.js';
import { keyFor } from '../report/rows.js';
import type { ResolvedSweep, SweepModel } from './config.js';

/** One explore of a sweep: its index in sweep order and the request. */
export interface Job {
  index: number;
  model: SweepModel;
  platform: string;
  precision: string;
  res: string;
  arch: Arch;
  path: 'encode' | 'decode';
}

/** The axes in sweep order, outermost first (models vary slowest, paths fastest). */
function axes(s: ResolvedSweep) {
  return [s.models.length, s.platforms.length, s.precisions.length, s.res.length, s.arch.length, s.path.length];
}

/** Number of jobs: the product of the list lengths. */
export function jobCount(s: ResolvedSweep): number {
  return axes(s).reduce((a, b) => a * b, 1);
}

/** The job at `index` (mixed-radix digits over the axes); no array of jobs is ever built. */
export function jobAt(s: ResolvedSweep, index: number): Job {
  const n = jobCount(s);
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`job ${index} is outside 0..${n - 1}`);
  const radix = axes(s);
  const digit: number[] = new Array(radix.length);
  let rest = index;
  for (let k = radix.length - 1; k >= 0; k--) {
    digit[k] = rest % radix[k];
    rest = Math.floor(rest / radix[k]);
  }
  return {
    index,
    model: s.models[digit[0]],
    platform: s.platforms[digit[1]],
    precision: s.precisions[digit[2]],
    res: s.res[digit[3]],
    arch: s.arch[digit[4]],
    path: s.path[digit[5]],
  };
}

/** What `explore` needs for a job. */
export function jobRequest(s: ResolvedSweep, j: Job): ExploreRequest {
  return {
    model: j.model.model, variant: j.model.variant, params: j.model.params, platform: j.platform,
    precision: j.precision, res: j.res, pad: s.pad, arch: j.arch, path: j.path,
    // Baselines run at the clock they ship with (the DPU's, the GPU's), not the sweep's FPGA clock.
    clockMHz: j.arch === 'dpu' || j.arch === 'gpu' ? undefined : s.clockMHz, caps: s.caps, entropySymbolsPerSec: s.entropySymbolsPerSec,
    ...(s.gpu !== undefined ? { gpu: s.gpu } : {}),
  };
}

/** "mbt2018 q3 · zcu102 · int8 · 1280x720 · engine · encode". */
export function jobLabel(j: Job): string {
  return keyFor({ model: j.model.model, variant: j.model.variant, params: j.model.params, platform: j.platform, precision: j.precision, res: j.res, arch: j.arch, path: j.path }).label;
}

export interface Shard {
  k: number;
  n: number;
}

/** "k/n" with 1 ≤ k ≤ n. */
export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) throw new UserError(`"${s}" is not a shard (allowed: k/n with 1 ≤ k ≤ n, e.g. 2/8)`, { field: 'shard' });
  return { k, n };
}

export const shardString = (s: Shard) => `${s.k}/${s.n}`;

/**
 * The job indices a shard runs, in increasing order: round robin, index % n == k - 1, so that every
 * shard gets a similar mix of slow and fast models. Without a shard, every index.
 */
export function* shardIndices(total: number, shard?: Shard): Generator<number> {
  const step = shard ? shard.n : 1;
  for (let i = shard ? shard.k - 1 : 0; i < total; i += step) yield i;
}

/** How many jobs a shard runs. */
export function shardSize(total: number, shard?: Shard): number {
  if (!shard) return total;
  return total > shard.k - 1 ? Math.floor((total - shard.k) / shard.n) + 1 : 0;
}
