import { UserError } from '../errors.js';
import type { Point } from '../mapping/schema.js';
import type { CpuModel, DpuDeployment, DpuFamily, DpuSize } from '../platform/baselines.js';
import { parsePrecision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { baselineResources, decodeChain } from './baseline-common.js';
import { cpuLayerWork, cpuSeconds, handoverSeconds } from './cpu.js';
import { dpuComputeCycles, placeLayer, type Placement } from './dpu-support.js';
import { layerRow, passive, pathPlan, type PathLayer } from './plan.js';
import { roofline } from './roofline.js';
import type { CpuSubgraph, Estimate, LayerEstimate } from './types.js';

/** The DPU a point runs on: the board's shipped configuration with the point's overrides. */
export interface DpuConfig {
  family: DpuFamily;
  familyName: string;
  sizeName: string;
  size: DpuSize;
  deployment: DpuDeployment;
  cores: number;
  cpu: CpuModel;
}

export function dpuConfig(point: Point, platform: Platform, tables: CostTables): DpuConfig {
  const cat = tables.baselines?.dpu;
  if (!cat) throw new Error('cost tables carry no DPU catalogue');
  const deployment = cat.deployments[platform.name];
  const cpu0 = cat.cpu[platform.name];
  if (!deployment || !cpu0) {
    throw new UserError(`board "${platform.name}" has no Vitis AI DPU configuration (boards with one: ${Object.keys(cat.deployments).sort().join(', ')})`, { field: 'platform' });
  }
  const family = cat.families[deployment.family];
  const sizeName = point.dpu?.size ?? deployment.size;
  const size = family.sizes[sizeName];
  if (!size) throw new UserError(`unknown ${deployment.family} size "${sizeName}" (allowed: ${Object.keys(family.sizes).join(', ')})`, { field: 'dpu.size' });
  const o = point.dpu?.cpu ?? {};
  const cpu: CpuModel = { ...cpu0, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
  return { family, familyName: deployment.family, sizeName, size, deployment, cores: point.dpu?.cores ?? deployment.cores, cpu };
}

/** Resources of `cores` DPU cores: PG338/PG367 per-core figures; buffers moved to URAM where the board needs it. */
export function dpuResources(c: DpuConfig) {
  const moved = c.deployment.ram === 'uram' ? Math.min(c.deployment.bram36InUram, c.size.bram36) : 0;
  return {
    dsp: c.cores * c.size.dsp,
    bram18: Math.ceil(c.cores * 2 * (c.size.bram36 - moved)),
    uram: c.cores * (c.size.uram + Math.ceil((moved * 36) / 288)),
    lut: c.cores * c.size.lut,
    ff: c.cores * c.size.ff,
  };
}

/**
 * Evaluate a model compiled for the Vitis AI DPU (pure). Layers the DPU runs cost cycles from its
 * parallelism and the layer's shape, or their int8 traffic over the core's data ports; the layers it cannot
 * run form CPU subgraphs on the board's Arm cores, in float, each paying a hand-over at both ends.
 * Frames pipeline over the DPU cores (one frame per core / engine), the CPU threads and the entropy coder.
 */
export function evaluateDpu(w: Workload, platform: Platform, point: Point, tables: CostTables): Estimate {
  const prec = parsePrecision(point.precision);
  if (prec.name !== 'int8') throw new UserError(`the Vitis AI DPU runs int8 only (PG338/PG367), not ${prec.name}`, { field: 'precision' });
  if (Object.keys(point.layerPrecision).length) throw new UserError('the Vitis AI DPU runs every layer in int8: per-layer precisions do not apply', { field: 'layerPrecision' });
  const c = dpuConfig(point, platform, tables);
  const f = point.clockMHz * 1e6;
  const plan = pathPlan(w, point, 'subpixel');
  const lanes = c.size.pp * c.size.icp * c.size.ocp;
  const units = c.cores * c.size.engines;
  const cpuThreads = Math.max(1, c.cpu.cores - 1);

  const layers: LayerEstimate[] = [];
  const subgraphs: CpuSubgraph[] = [];
  let prev: Placement | undefined;
  let open: CpuSubgraph | undefined;
  let dpuCycles = 0;
  let dpuBytes = 0;
  let cpuLayerSec = 0;
  let boundaries = 0;
  let boundarySec = 0;
  let serialSec = 0;
  let sliceSec = 0;
  let slowest: { id: string; cycles: number; bound: string } | undefined;
  let lastSide: 'dpu' | 'cpu' | undefined;
  const handover = (elems: number) => {
    const s = handoverSeconds(elems, c.cpu);
    boundaries += 1;
    boundarySec += s;
    if (open) open.ms += s * 1e3;
    return s;
  };
  const inputElems = (pl: PathLayer) => pl.layer.inElems;
  const close = () => { open = undefined; };

  for (const pl of plan) {
    const l = pl.layer;
    const place = placeLayer(pl, c.family, c.size, prev, point.dpu?.gdn ?? 'cpu');
    if (place.where === 'entropy') { layers.push(passive(pl, 'cpu')); continue; }
    if (place.where === 'fused') {
      layers.push({ ...passive(pl, 'fused'), mapping: place.reason });
      prev = place;
      continue;
    }
    if (place.where === 'cpu') {
      if (!open) {
        // DPU → CPU: the CPU reads the DPU's int8 output (or the frame's input when the path starts here).
        open = { index: subgraphs.length + 1, layers: [], reasons: [], ms: 0 };
        subgraphs.push(open);
        if (lastSide === 'dpu') handover(inputElems(pl));
      }
      const s = cpuSeconds(cpuLayerWork(l), c.cpu);
      open.layers.push(pl.id);
      if (!open.reasons.includes(place.reason)) open.reasons.push(place.reason);
      open.ms += s * 1e3;
      if (pl.serial) serialSec += s; else cpuLayerSec += s;
      if (l.instance !== undefined) sliceSec += s;
      const cycles = Math.round(s * f);
      const r = roofline(2 * l.macs, cpuLayerWork(l).bytes, c.cpu.gmacsPerCore * 2e9, c.cpu.memGBs * 1e9);
      layers.push(layerRow(pl, cpuLayerWork(l).macs, cycles, s * 1e3, pl.serial ? 'serial' : 'cpu', r, 0, 0, 0, 0, `CPU subgraph ${open.index}: ${place.reason}`));
      prev = place;
      lastSide = 'cpu';
      continue;
    }
    if (place.where === 'split') {
      // DPU: x² and the final product (element-wise, one pass each) and the C×C 1×1 conv; CPU: the square root
      // between them, with a hand-over each way.
      if (open) { handover(inputElems(pl)); close(); } else if (lastSide === undefined) handover(inputElems(pl));
      const n = l.outElems;
      const elt = 2 * l.outH * Math.ceil(l.outW / c.size.pp) * Math.ceil(l.cout / c.size.icp);
      const conv = l.outH * Math.ceil(l.outW / c.size.pp) * Math.ceil(l.cin / c.size.icp) * Math.ceil(l.cout / c.size.ocp);
      const bytes = 4 * n + 2 * l.inElems + l.params;
      const cycles = Math.ceil(Math.max(elt + conv, bytes / c.deployment.portBytesPerCycle));
      dpuCycles += cycles;
      dpuBytes += bytes;
      open = { index: subgraphs.length + 1, layers: [`${pl.id}:sqrt`], reasons: [place.reason], ms: 0 };
      subgraphs.push(open);
      handover(n);
      const s = cpuSeconds({ macs: 0, elemOps: n, bytes: 8 * n }, c.cpu);
      open.ms += s * 1e3;
      cpuLayerSec += s;
      handover(n);
      close();
      if (l.instance !== undefined) sliceSec += cycles / f + s;
      const r = roofline(2 * l.macs, bytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
      layers.push(layerRow(pl, conv * lanes, cycles, (cycles / f) * 1e3, bytes / c.deployment.portBytesPerCycle > elt + conv ? 'memory' : 'compute', r,
        l.macs / (cycles * lanes), lanes, 0, 0,
        `DPU ${c.sizeName} 1×1 conv + 2 eltwise-mul; CPU subgraph ${subgraphs.length}: sqrt (${(s * 1e3).toFixed(2)} ms)`));
      if (!slowest || cycles > slowest.cycles) slowest = { id: pl.id, cycles, bound: 'compute' };
      prev = place;
      lastSide = 'dpu';
      continue;
    }
    // On the DPU.
    if (open) {
      // CPU → DPU: the CPU quantises its float output and hands it back.
      handover(inputElems(pl));
      close();
    } else if (lastSide === undefined) {
      // The frame's input arrives from the CPU (image, or decoded latents) and is quantised for the DPU.
      handover(inputElems(pl));
    }
    const comp = dpuComputeCycles(pl, place.how, c.family, c.size);
    const bytes = l.inElems + l.outElems + l.params;
    const mem = bytes / c.deployment.portBytesPerCycle;
    const cycles = Math.ceil(Math.max(comp, mem));
    const bound = mem > comp ? 'memory' : 'compute';
    dpuCycles += cycles;
    dpuBytes += bytes;
    if (l.instance !== undefined) sliceSec += cycles / f;
    const executed = place.how === 'eltwise' || place.how === 'pool' ? 0 : comp * lanes;
    const r = roofline(2 * l.macs, bytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
    layers.push(layerRow(pl, executed, cycles, (cycles / f) * 1e3, bound, r, l.macs / (cycles * lanes), lanes, 0, 0,
      `DPU ${c.sizeName} ${place.how} (PP${c.size.pp}×ICP${c.size.icp}×OCP${c.size.ocp})`));
    if (!slowest || cycles > slowest.cycles) slowest = { id: pl.id, cycles, bound };
    prev = place;
    lastSide = 'dpu';
  }
  // The frame's output leaves the DPU for the CPU (the entropy coder or the viewer).
  if (lastSide === 'dpu') {
    const last = [...plan].reverse().find((p) => p.kind !== 'cpu');
    if (last) handover(last.layer.outElems);
  }

  const dpuSec = dpuCycles / f;
  const cpuSec = cpuLayerSec + boundarySec;
  const sps = point.entropySymbolsPerSec ?? platform.spec.cpu.entropySymbolsPerSec;
  const symbols = w.latents.reduce((s, x) => s + x.elements, 0);
  const entropySec = symbols / sps;
  const dec = decodeChain(w, plan, serialSec, sliceSec, sps, point.workload.path);

  // Throughput: frames in flight on every DPU core/engine and CPU thread; DDR shared by all of them.
  const dpuPeriod = dpuSec / units;
  const cpuPeriod = cpuSec / cpuThreads;
  const ddrPeriod = (dpuBytes * 1) / platform.bandwidthBytesPerSec;
  const accelPeriod = Math.max(dpuPeriod, cpuPeriod, ddrPeriod, 1e-12);
  const framePeriod = Math.max(accelPeriod, entropySec, dec.chain);
  let bottleneck: string;
  if (dec.chain > 0 && framePeriod === dec.chain) bottleneck = dec.name;
  else if (framePeriod === entropySec && entropySec > accelPeriod) bottleneck = `entropy coder on CPU (${symbols} symbols at ${sps.toExponential(2)}/s)`;
  else if (accelPeriod === cpuPeriod) bottleneck = `CPU subgraphs on ${c.cpu.name} (${subgraphs.length} subgraphs, ${(cpuSec * 1e3).toFixed(1)} ms/frame on one thread × ${cpuThreads} threads)`;
  else if (accelPeriod === ddrPeriod) bottleneck = 'off-chip bandwidth';
  else bottleneck = slowest ? `layer ${slowest.id} (${slowest.bound})` : 'none';

  const { resources, violations } = baselineResources(dpuResources(c), platform);
  const usefulMacs = plan.filter((p) => p.kind === 'mac').reduce((s, p) => s + p.layer.macs, 0);
  const accelFps = 1 / accelPeriod;
  return {
    model: w.model,
    variant: w.variant ?? null,
    platform: platform.name,
    arch: 'dpu',
    path: point.workload.path,
    precision: prec.name,
    clockMHz: point.clockMHz,
    resolution: w.resolution,
    fps: 1 / framePeriod,
    acceleratorFps: accelFps,
    latencyMs: (dpuSec + cpuSec + (dec.serial ? dec.serial.seconds : 0) + entropySec) * 1e3,
    gops: (2 * usefulMacs * accelFps) / 1e9,
    peakGops: (c.size.peakOpsPerCycle * units * f) / 1e9,
    bottleneck,
    feasible: violations.length === 0,
    violations,
    resources,
    bandwidth: { usedGBs: (dpuBytes * accelFps) / 1e9, availableGBs: platform.bandwidthBytesPerSec / 1e9 },
    entropy: { symbols, seconds: entropySec, symbolsPerSec: sps },
    serial: dec.serial,
    design: point,
    layers,
    offload: {
      subgraphs: subgraphs.map((s) => ({ ...s })),
      boundaries,
      cpuMs: cpuSec * 1e3,
      boundaryMs: boundarySec * 1e3,
      dpuMs: dpuSec * 1e3,
      dpuUnits: units,
      cpuThreads,
    },
  };
}

/** One line per CPU subgraph: "#1 g_a/1 (GDN: …) 812.3 ms". */
export function offloadLines(e: Estimate): string[] {
  if (!e.offload) return [];
  const o = e.offload;
  return [
    `DPU ${o.dpuMs.toFixed(2)} ms/frame per core (${o.dpuUnits} frames in flight); CPU ${o.cpuMs.toFixed(2)} ms/frame on one thread (${o.cpuThreads} threads), of which ${o.boundaries} DPU↔CPU hand-overs ${o.boundaryMs.toFixed(2)} ms`,
    ...(o.subgraphs.length ? o.subgraphs.map((s) => `CPU subgraph ${s.index}: ${s.layers.join(', ')} — ${s.ms.toFixed(2)} ms — ${s.reasons.join('; ')}`) : ['every layer runs on the DPU']),
  ];
}
