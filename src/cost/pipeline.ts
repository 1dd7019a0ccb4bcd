import type { PipelineLayer } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import { dspPerMac, type CostTables } from '../platform/tables.js';
import type { Lowered } from './lower.js';
import { packedWord, stageArch, stageShape, type StageArch, type StageGeom, type StageShape } from '../arch/pipeline.js';
import { normResources } from './norm.js';
import { addResources, macDsp, MemoryTally, perMacLinear, postLaneDsp, type Bank, type Resources } from './resources.js';

const cdiv = (a: number, b: number) => Math.ceil(a / b);

/** Column strip width when a spilled stage reads its input back from DRAM. */
export const SPILL_STRIP = 64;

export interface StageCost {
  /** Cycles per frame of this stage at its parallelism (its initiation interval per frame). */
  cycles: number;
  /** Cycles for one position (serial decode loop). */
  cyclesPerPosition: number;
  fillCycles: number;
  /** Off-chip bytes per frame: streamed weights, spilled activations. */
  dramBytes: number;
  resources: Resources;
  banks: Bank[];
  executedMacs: number;
}

export function pipelineOptionsValid(lw: Lowered, c: PipelineLayer): string | undefined {
  if (c.pin > lw.N) return `pin ${c.pin} exceeds the layer's ${lw.N} input channels`;
  if (c.pout > lw.M) return `pout ${c.pout} exceeds the layer's ${lw.M} output channels`;
  if (c.pk > lw.taps) return `pk ${c.pk} exceeds the layer's ${lw.taps} kernel taps`;
  return undefined;
}

/** Line-buffer rows a sliding window of kh rows at stride S needs (one extra row to overlap fill and use). */
const lineRows = (lw: Lowered) => (lw.kh > 1 ? lw.kh + lw.S - 1 : 0);

export type StageTime = Omit<StageCost, 'resources' | 'banks'>;

/**
 * Time and traffic of one pipeline stage (FINN MVAU / fpgaConvNet / DNNBuilder): ⌈N/pin⌉·⌈M/pout⌉·⌈taps/pk⌉
 * cycles per output position and group; streamed weights are fetched once per `reuse` output positions; a
 * spilled stage reads its input back from DRAM in column strips (with their halo).
 */
/** A stage the template does not emit: ⌈N/pin⌉·⌈M/pout⌉·⌈taps/pk⌉ cycles per output position and group. */
const denseCycles = (lw: Lowered, c: PipelineLayer) => lw.groups * (cdiv(lw.N, c.pin) * cdiv(lw.M, c.pout) * cdiv(lw.taps, c.pk)) * (lw.R * lw.C);

/** Cycles per position inside the serial context chain (its taps: the causal ones), plus the MAC pipeline's depth. */
const serialCyclesPerPosition = (lw: Lowered, c: PipelineLayer, serialTaps: number | undefined, depth: number) =>
  lw.groups * cdiv(lw.N, c.pin) * cdiv(lw.M, c.pout) * cdiv(serialTaps ?? lw.taps, c.pk) + depth;

export function pipelineStageTime(lw: Lowered, c: PipelineLayer, p: Precision, opts: { serialTaps?: number; depth: number; geom?: StageGeom; describe?: Describe }): StageTime {
  const positions = lw.R * lw.C;
  // An emittable stage (dense conv, deconv, GDN) is timed by its loops (arch/pipeline.ts): per-phase taps, the
  // sliding-window unit's reads, streamed weights fetched per block and per REUSE pixels of a row. The template
  // keeps such a stage's line buffer on chip whatever `spill` says, so the estimate does too (no spill traffic,
  // no saved memory): only stages the template does not emit can spill.
  const arch = opts.geom ? (opts.describe ?? describeStage)(opts.geom, c, p) : undefined;
  const cycles = arch ? arch.cycles : denseCycles(lw, c);
  const rows = lineRows(lw);
  let dramBytes = 0;
  if (arch) dramBytes += arch.fetchBytes;
  else if (!lw.secondIsActivation && c.weights === 'stream') dramBytes += lw.groups * lw.weightElems * (p.weightBits / 8) * cdiv(positions, c.reuse);
  if (c.spill && !arch) {
    const inElems = lw.inH * lw.inW * lw.N * lw.groups;
    const halo = lw.kw > 1 ? (SPILL_STRIP + lw.kw - 1) / SPILL_STRIP : 1;
    dramBytes += inElems * (p.actBits / 8) * (1 + halo);
  }
  return {
    cycles,
    cyclesPerPosition: serialCyclesPerPosition(lw, c, opts.serialTaps, opts.depth),
    fillCycles: rows > 0 ? Math.ceil((cycles / Math.max(1, lw.R)) * (lw.kh - 1)) + opts.depth : opts.depth,
    dramBytes,
    executedMacs: lw.groups * lw.M * lw.N * positions * lw.taps,
  };
}

/** The stage as the template builds it (arch/pipeline.ts), for a layer's parallelism and precision. */
export type Describe = (g: StageGeom, c: PipelineLayer, p: Precision) => StageArch;

export const describeStage = (g: StageGeom, c: PipelineLayer, p: Precision, shape?: StageShape): StageArch =>
  stageArch(g, { pin: c.pin, pout: c.pout, pk: c.pk, stream: c.weights === 'stream', reuse: c.reuse }, { weight: p.weightBits, act: p.actBits }, shape);

/**
 * describeStage remembered for the lifetime of the returned function: a search owns one and asks for the same
 * stage and parallelism often (every placement, every streaming ladder step). Keyed by the geometry object,
 * so callers keep one geometry per layer for the search.
 */
export function stageMemo(): Describe {
  // geometry → bits → pin·8192 + pout → (pk·2 + stream)·65536 + reuse (small integers: V8 hashes them without allocating).
  const byGeom = new Map<StageGeom, Map<number, Map<number, Map<number, StageArch>>>>();
  // Each geometry's rows counted once per PK (arch/pipeline.ts stageShape), whatever PIN and POUT.
  const shapes = new Map<StageGeom, Map<number, StageShape>>();
  const shapeOf = (g: StageGeom, pk: number) => {
    let m = shapes.get(g);
    if (!m) shapes.set(g, (m = new Map()));
    let s = m.get(pk);
    if (!s) m.set(pk, (s = stageShape(g, g.kind === 'gdn' ? 1 : pk)));
    return s;
  };
  return (g, c, p) => {
    // Unusual parallelism (never in the search's options) is described afresh.
    if (!(c.pin < 8192 && c.pout < 8192 && c.pk < 128 && c.reuse < 65536
      && Number.isInteger(c.pin) && Number.isInteger(c.pout) && Number.isInteger(c.pk) && Number.isInteger(c.reuse))) return describeStage(g, c, p);
    let byBits = byGeom.get(g);
    if (!byBits) byGeom.set(g, (byBits = new Map()));
    const bits = p.weightBits * 4096 + p.actBits;
    let byPar = byBits.get(bits);
    if (!byPar) byBits.set(bits, (byPar = new Map()));
    const k1 = c.pin * 8192 + c.pout;
    let m = byPar.get(k1);
    if (!m) byPar.set(k1, (m = new Map()));
    const k2 = (c.pk * 2 + (c.weights === 'stream' ? 1 : 0)) * 65536 + c.reuse;
    let a = m.get(k2);
    if (!a) m.set(k2, (a = describeStage(g, c, p, shapeOf(g, c.pk))));
    return a;
  };
}

/** Which placement flags (weights in URAM, buffers in URAM) a stage's memories followed; set by pipelineStageResources. */
export interface PlacementUse {
  weights: boolean;
  buffers: boolean;
}

/** The bank list of a stage costed without one (noBanks): empty, and frozen so no caller fills it. */
const NO_BANKS: Bank[] = Object.freeze([]) as unknown as Bank[];

/** A MemoryTally that also lists its banks, when a list is given. */
class ListedTally extends MemoryTally {
  constructor(tables: CostTables, private readonly list?: Bank[]) {
    super(tables);
  }

  /** inUram null: a bank the placement flags never move (listed without the field, as before). */
  override add(count: number, width: number, depth: number, inUram: boolean | undefined | null): void {
    this.list?.push(inUram === null ? { count, width, depth } : { count, width, depth, uram: inUram });
    super.add(count, width, depth, inUram);
  }
}

/**
 * Hardware of one stage: pin·pout·pk MAC lanes; weights on chip in FINN's layout (one bank per PE, pout·pk
 * banks of pin-wide words) or a small double-buffered tile when streamed, with partial sums for `reuse`
 * pixels; line buffers of kh + S − 1 rows (a column strip when spilled).
 */
export function pipelineStageResources(
  lw: Lowered, c: PipelineLayer, p: Precision, family: string, tables: CostTables,
  opts: { weightsInUram: boolean; buffersInUram?: boolean; storedWeights?: number; geom?: StageGeom; describe?: Describe; uses?: PlacementUse; noBanks?: boolean },
): { resources: Resources; banks: Bank[] } {
  const lanes = c.pin * c.pout * c.pk;
  // memoryFor's sums, bank by bank: a search costs thousands of options and needs no bank list (noBanks).
  const banks: Bank[] = opts.noBanks ? NO_BANKS : [];
  const mem = new ListedTally(tables, opts.noBanks ? undefined : banks);
  const wTotal = opts.storedWeights ?? lw.groups * lw.weightElems;
  if (opts.geom) {
    // The memories the template declares (arch/pipeline.ts); a stage shared by several layers stores them all.
    for (const b of (opts.describe ?? describeStage)(opts.geom, c, p).buffers) {
      if (b.name === 'weights' && opts.uses) opts.uses.weights = true;
      const depth = b.name === 'weights' && opts.storedWeights !== undefined ? cdiv(opts.storedWeights, lanes) : b.depth;
      mem.add(b.count, b.width, depth, b.name === 'weights' ? opts.weightsInUram : undefined);
    }
  } else {
    if (!lw.secondIsActivation) {
      if (c.weights === 'onchip') {
        if (opts.uses) opts.uses.weights = true;
        mem.add(c.pout * c.pk, c.pin * p.weightBits, cdiv(wTotal, lanes), opts.weightsInUram);
      } else {
        mem.add(c.pout * c.pk, c.pin * p.weightBits, 2 * cdiv(lw.taps, c.pk) * cdiv(lw.N, c.pin), null);
        mem.add(1, c.pout * p.accBits, c.reuse * cdiv(lw.M * lw.groups, c.pout), null);
      }
    } else {
      // Attention: K or V of one row of windows stays on chip while the queries of that row stream by.
      if (opts.uses) opts.uses.buffers = true;
      const word = packedWord((lw.rowBufferElems ?? lw.weightElems) * p.actBits, c.pin * p.actBits);
      mem.add(1, word.width, word.depth, opts.buffersInUram);
    }
    const rows = lineRows(lw);
    if (rows > 0) {
      const width = c.spill ? Math.min(lw.inW, SPILL_STRIP + lw.kw - 1) : lw.inW;
      const elems = rows * width * lw.N * lw.groups;
      const nb = Math.min(c.pk, lw.kh);
      mem.add(nb, c.pin * p.actBits, cdiv(elems, nb * c.pin), null);
    }
  }
  const dsp = stageMacDsp(lw, c, p, family, tables);
  const co = tables.coefficients;
  const lut = Math.round(lanes * perMacLinear(co.lut, p) + c.pout * co.lut.perOutputLane + mem.banks * co.lut.perBufferBank + co.lut.perPipelineStage) + mem.lutram;
  const ff = Math.round(lanes * perMacLinear(co.ff, p) + c.pout * co.ff.perOutputLane + mem.banks * co.ff.perBufferBank + co.ff.perPipelineStage);
  const norm = lw.norm ? normResources([lw.norm], c.pin * c.pk, c.pout, p, family, tables) : undefined;
  const own = { dsp, bram18: mem.bram18, uram: mem.uram, lut, ff };
  return { resources: norm ? addResources(own, norm) : own, banks };
}

/** A stage's DSPs for its MAC lanes and output lanes (without a GDN's normalisation unit). */
function stageMacDsp(lw: Lowered, c: PipelineLayer, p: Precision, family: string, tables: CostTables): number {
  const lanes = c.pin * c.pout * c.pk;
  // GDN's operand x² (or |x|) is wider than the INT8 lane two packed products share (WP486): one DSP per MAC.
  const mac = lw.norm ? Math.ceil(lanes * Math.max(1, dspPerMac(tables.packing, family, p).dspPerMac)) : macDsp(tables, family, p, lanes, c.pout);
  return mac + postLaneDsp(p, c.pout);
}

/** The DSPs of pipelineStageResources without sizing its memories (a search's cheap first look). */
export function pipelineStageDsp(lw: Lowered, c: PipelineLayer, p: Precision, family: string, tables: CostTables): number {
  const dsp = stageMacDsp(lw, c, p, family, tables);
  return lw.norm ? dsp + normResources([lw.norm], c.pin * c.pk, c.pout, p, family, tables).dsp : dsp;
}

/** A whole stage: its time and its hardware. */
export function pipelineStageCost(
  lw: Lowered, c: PipelineLayer, p: Precision, family: string, tables: CostTables,
  opts: { weightsInUram: boolean; buffersInUram?: boolean; serialTaps?: number; depth: number; storedWeights?: number; geom?: StageGeom },
): StageCost {
  return { ...pipelineStageTime(lw, c, p, opts), ...pipelineStageResources(lw, c, p, family, tables, opts) };
}

export interface UnitMember {
  lowered: Lowered;
  precision: Precision;
  serialTaps?: number;
  /** The stage's geometry when the template emits it (dense conv, deconv, GDN). */
  geom?: StageGeom;
}

/** The largest common parallelism of a shared stage must fit every member. */
export function unitOptionsValid(members: UnitMember[], c: PipelineLayer): string | undefined {
  for (const m of members) {
    const bad = pipelineOptionsValid(m.lowered, c);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * A stage shared by several layers of the same position (slice instances) used one after another: cycles and
 * DRAM traffic add up; the hardware is sized for the widest member and stores every member's weights.
 */
/** A shared stage's members, its widest member (sizes the line buffer) and its stored weights. */
export interface PreparedUnit {
  members: UnitMember[];
  widest: UnitMember;
  stored: number;
}

export function prepareUnit(members: UnitMember[]): PreparedUnit {
  const widest = members.reduce((a, b) => (b.lowered.N * b.lowered.inW * b.lowered.kh > a.lowered.N * a.lowered.inW * a.lowered.kh ? b : a));
  return { members, widest, stored: members.reduce((s, m) => s + m.lowered.groups * m.lowered.weightElems, 0) };
}

/** A shared stage's time: its members one after another (cycles and DRAM traffic add up). */
export function unitStageTime(u: PreparedUnit, c: PipelineLayer, opts: { depth: number; describe?: Describe }): StageTime & { perMember: StageTime[] } {
  const perMember = u.members.map((m) => pipelineStageTime(m.lowered, c, m.precision, { depth: opts.depth, serialTaps: m.serialTaps, geom: m.geom, describe: opts.describe }));
  if (perMember.length === 1) {
    const x = perMember[0];
    return { cycles: x.cycles, cyclesPerPosition: x.cyclesPerPosition, fillCycles: x.fillCycles, dramBytes: x.dramBytes, executedMacs: x.executedMacs, perMember };
  }
  let cycles = 0;
  let cyclesPerPosition = 0;
  let fillCycles = 0;
  let dramBytes = 0;
  let executedMacs = 0;
  for (const x of perMember) {
    cycles += x.cycles;
    cyclesPerPosition += x.cyclesPerPosition;
    fillCycles = Math.max(fillCycles, x.fillCycles);
    dramBytes += x.dramBytes;
    executedMacs += x.executedMacs;
  }
  return { cycles, cyclesPerPosition, fillCycles, dramBytes, executedMacs, perMember };
}

/**
 * unitStageTime's cycles (serial: its cycles per position) without the rest of its answer: a search times every
 * option of every stage, and only these feed its balancing. Same sums in the same order, so the same numbers.
 */
export function unitStageCycles(u: PreparedUnit, c: PipelineLayer, opts: { depth: number; describe?: Describe }, perPosition: boolean): number {
  let sum = 0;
  for (const m of u.members) {
    const lw = m.lowered;
    if (perPosition) sum += serialCyclesPerPosition(lw, c, m.serialTaps, opts.depth);
    else sum += m.geom ? (opts.describe ?? describeStage)(m.geom, c, m.precision).cycles : denseCycles(lw, c);
  }
  return sum;
}

/** A shared stage's hardware: sized for the widest member, storing every member's weights. */
export function unitStageResources(
  u: PreparedUnit, c: PipelineLayer, family: string, tables: CostTables,
  opts: { weightsInUram: boolean; buffersInUram?: boolean; describe?: Describe; uses?: PlacementUse; noBanks?: boolean },
): { resources: Resources; banks: Bank[] } {
  return pipelineStageResources(u.widest.lowered, c, u.widest.precision, family, tables, {
    weightsInUram: opts.weightsInUram, buffersInUram: opts.buffersInUram, describe: opts.describe, uses: opts.uses, noBanks: opts.noBanks,
    storedWeights: u.members.length > 1 ? u.stored : undefined, geom: u.widest.geom,
  });
}

export function unitStageCost(u: PreparedUnit, c: PipelineLayer, family: string, tables: CostTables, opts: { weightsInUram: boolean; buffersInUram?: boolean; depth: number; describe?: Describe }): StageCost & { perMember: StageTime[] } {
  const { perMember, ...time } = unitStageTime(u, c, opts);
  const hw = unitStageResources(u, c, family, tables, { weightsInUram: opts.weightsInUram, buffersInUram: opts.buffersInUram, describe: opts.describe });
  return { ...time, ...hw, perMember };
}
