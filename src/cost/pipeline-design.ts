import { UserError } from '../errors.js';
import type { PipelineLayer, Point } from '../mapping/schema.js';
import { parsePrecision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { macPipelineDepth } from './engine.js';
import { baseRow, passive, type PathLayer, type Timed } from './plan.js';
import { pipelineOptionsValid, pipelineStageCost } from './pipeline.js';
import { addResources, zeroResources, type Resources } from './resources.js';
import { roofline } from './roofline.js';
import type { Bound, LayerEstimate } from './types.js';

/** The pipeline template over a path: stage cycles, DRAM traffic, summed stage resources. */
export function evalPipeline(plan: PathLayer[], point: Point, platform: Platform, tables: CostTables, w: Workload): Timed {
  const spec = point.pipeline!;
  const f = point.clockMHz * 1e6;
  const layers: LayerEstimate[] = [];
  let resources = zeroResources();
  let maxStage = 0;
  let serialPerPos = 0;
  let slice = 0;
  let fill = 0;
  let bytes = imageAndLatentBytes(w, point);
  let slowest: Timed['slowest'];
  const co = tables.coefficients;
  let ports = 2;
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind !== 'mac') {
      const row = passive(pl, pl.kind === 'cpu' ? 'cpu' : 'fused');
      if (l.op === 'add') {
        const skip = skipBuffer(plan, pl, tables);
        resources = addResources(resources, skip);
        row.bram18 = skip.bram18;
      }
      layers.push(row);
      continue;
    }
    const lw = pl.lowered!;
    const cfg: PipelineLayer = spec.layers[pl.id] ?? { pin: 1, pout: 1, pk: 1, weights: 'onchip', reuse: 1, spill: false, fifoDepth: 2 };
    const bad = pipelineOptionsValid(lw, cfg);
    if (bad) throw new UserError(bad, { field: `pipeline.layers.${pl.id}` });
    const depth = macPipelineDepth(cfg.pin, pl.precision);
    const serialTaps = l.op === 'masked_conv' ? l.macs / (l.outH * l.outW * l.cout * lw.N) : undefined;
    const c = pipelineStageCost(lw, cfg, pl.precision, platform.spec.dspFamily, tables, { weightsInUram: spec.weightsInUram, serialTaps, depth });
    resources = addResources(resources, c.resources);
    bytes += c.dramBytes;
    if ((cfg.weights === 'stream' || cfg.spill) && ports === 2) ports = 3;
    const lanes = cfg.pin * cfg.pout * cfg.pk;
    let cycles = c.cycles;
    let bound: Bound = 'compute';
    if (pl.serial) {
      serialPerPos += c.cyclesPerPosition;
      cycles = c.cyclesPerPosition * l.outH * l.outW;
      bound = 'serial';
    } else {
      maxStage = Math.max(maxStage, c.cycles);
      fill += c.fillCycles;
      if (l.instance !== undefined) slice += c.cycles;
      if (!slowest || c.cycles > slowest.cycles) slowest = { id: pl.id, bound: 'compute', cycles: c.cycles };
    }
    const r = roofline(2 * l.macs, c.dramBytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
    layers.push({
      ...baseRow(pl), executedMacs: c.executedMacs, cycles, timeMs: (cycles / f) * 1e3, bound, ...r,
      utilization: l.macs / (Math.max(1, cycles) * lanes), dsp: c.resources.dsp, bram18: c.resources.bram18,
      mapping: `pin${cfg.pin} pout${cfg.pout}${cfg.pk > 1 ? ` pk${cfg.pk}` : ''}${cfg.weights === 'stream' ? ` stream×${cfg.reuse}` : ''}${cfg.spill ? ' spill' : ''}`,
    });
  }
  resources.lut += co.lut.base + ports * co.lut.perAxiPortPer128Bits;
  resources.ff += co.ff.base + ports * co.ff.perAxiPortPer128Bits;
  // Bandwidth: the frame's DRAM traffic must pass at the board's sustained rate.
  const bwCycles = (bytes / platform.bandwidthBytesPerSec) * f;
  let frame = maxStage;
  if (bwCycles > frame) {
    frame = bwCycles;
    slowest = { id: 'DRAM', bound: 'memory', cycles: bwCycles };
    for (const row of layers) if (row.bound === 'compute' && row.offchipBytes > 0) row.bound = 'memory';
  }
  return {
    layers, resources, frameCycles: Math.ceil(frame), serialCyclesPerPosition: serialPerPos, sliceCycles: slice,
    latencyCycles: Math.ceil(fill + maxStage), dramBytesPerFrame: bytes, slowest,
  };
}

/** The image in, the latents out to the entropy coder (or in, at decode) and the image out. */
function imageAndLatentBytes(w: Workload, point: Point): number {
  const img = w.resolution.paddedWidth * w.resolution.paddedHeight * 3;
  const p = parsePrecision(point.precision);
  const lat = w.latents.reduce((s, l) => s + l.elements, 0) * (p.actBits / 8);
  return img + lat;
}

/** A residual add in a stream must hold the skip branch for as many rows as the main branch delays it. */
function skipBuffer(plan: PathLayer[], add: PathLayer, tables: CostTables): Resources {
  const l = add.layer;
  const same = plan.filter((x) => x.layer.part === l.part && x.layer.instance === l.instance);
  const idx = same.indexOf(add);
  const srcName = l.layer.inputs[1];
  const srcIdx = same.findIndex((x) => x.layer.name === srcName);
  let rows = 1;
  for (let i = Math.max(0, srcIdx + 1); i < idx; i++) rows += same[i].lowered?.kh ?? 0;
  const elems = rows * l.outW * l.cout;
  const width = add.precision.actBits;
  const words = Math.ceil(elems);
  const c = tables.coefficients;
  const bram18 = words * width <= c.memory.lutramMaxBits ? 0 : Math.ceil((words * width) / (18 * 1024));
  return { ...zeroResources(), bram18 };
}
