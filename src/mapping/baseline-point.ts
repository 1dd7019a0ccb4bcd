import { UserError } from '../errors.js';
import { loadCostTables, loadPlatform } from '../platform/load.js';
import type { Arch } from './schema.js';

/** The GPU a board is compared with: the one named, else the board's counterpart (platforms/baselines/gpus.json). */
export function gpuFor(board: string, named?: string): string {
  const g = loadCostTables().baselines!.gpus;
  const devices = Object.keys(g.devices).sort();
  if (named) {
    if (!g.devices[named]) throw new UserError(`unknown GPU "${named}" (built-in: ${devices.join(', ')})`, { field: 'gpu' });
    return named;
  }
  const name = loadPlatform(board).name;
  const c = g.counterparts[name];
  if (!c || !g.devices[c]) throw new UserError(`board "${name}" has no GPU counterpart; name one with --gpu (built-in: ${devices.join(', ')})`, { field: 'gpu' });
  return c;
}

/** The clock a baseline runs at: the DPU's as the board ships it, or the GPU's boost clock; undefined for FPGA templates. */
export function baselineClockMHz(arch: Arch, board: string, gpu?: string): number | undefined {
  const b = loadCostTables().baselines!;
  if (arch === 'gpu') return b.gpus.devices[gpu!].clockMHz;
  if (arch !== 'dpu') return undefined;
  const name = loadPlatform(board).name;
  const d = b.dpu.deployments[name];
  if (!d) throw new UserError(`board "${name}" has no Vitis AI DPU configuration in platforms/baselines/dpu.json (boards with one: ${Object.keys(b.dpu.deployments).sort().join(', ')})`, { field: 'platform' });
  return d.clockMHz;
}
