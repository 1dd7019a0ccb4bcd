import { UserError } from '../errors.js';
import type { PipelineLayer, Point } from '../mapping/schema.js';
import { parsePrecision } from '../platform/precision.js';
import type { Platform } from '../platform/schema.js';
import type { CostTables } from '../platform/tables.js';
import type { Workload } from '../workload/types.js';
import { macPipelineDepth } from './engine.js';
import { passive, stageKey, stageUnits, type PathLayer, type StageUnit, type Timed } from './plan.js';
import { prepareUnit, stageMemo, unitOptionsValid, unitStageCost, type Describe, type UnitMember } from './pipeline.js';
import { addResources, memoryFor, zeroResources, type Resources } from './resources.js';
import { roofline } from './roofline.js';
import { joinRows, packedWord, PACKED_WORD_BITS, shuffleCycles, streamLeads, type StageGeom, type StreamNode } from '../arch/pipeline.js';
import { padding } from '../arch/geometry.js';
import type { Bound, LayerEstimate } from './types.js';

/** The pipeline template over a path: stage cycles, DRAM traffic, summed stage resources. */
/**
 * What evaluations of several designs of one workload and point (explore's candidates, differing only in the
 * pipeline section) can share, owned by their caller and dropped with it: the path's plan per deconv lowering,
 * each layer's stage member (its geometry object, by which the descriptions are remembered) and the stage
 * descriptions themselves. None of it depends on the design's parallelism or placement.
 */
export interface PipelineShare {
  plans: Map<string, PathLayer[]>;
  member: (pl: PathLayer) => UnitMember;
  describe: Describe;
  /** What each plan's evaluation derives from the plan alone (its designs share one board and cost tables). */
  facts: Map<PathLayer[], PlanFacts>;
  /**
   * Each stage's cost by its parallelism object, then by plan (deconv lowering), stage and memory placement:
   * explore's candidates come from one search, whose kept options are one object each, so candidates that
   * agree on a stage share its costing.
   */
  stages: Map<PipelineLayer, Map<string, StageCostOf>>;
}

type StageCostOf = ReturnType<typeof unitStageCost>;

export function pipelineShare(): PipelineShare {
  const members = new Map<PathLayer, UnitMember>();
  return {
    plans: new Map(),
    member: (pl) => {
      let m = members.get(pl);
      if (!m) members.set(pl, (m = unitMember(pl)));
      return m;
    },
    describe: stageMemo(),
    facts: new Map(),
    stages: new Map(),
  };
}

/** What evalPipeline derives from a plan alone, whatever the design's parallelism. */
interface PlanFacts {
  units: Map<string, StageUnit>;
  /** Each layer by its scope and name (`part#instance/name`). */
  byName: Map<string, PathLayer>;
  /** The join buffers' shapes, and the buffers by id in BRAM [0] and in URAM [1], once asked for. */
  shapes: JoinShape[] | undefined;
  joins: [Map<string, JoinBuffer> | undefined, Map<string, JoinBuffer> | undefined];
}

const scopedName = (l: PathLayer['layer'], name: string) => `${l.part}#${l.instance ?? ''}/${name}`;

function planFacts(plan: PathLayer[], share?: PipelineShare): PlanFacts {
  let f = share?.facts.get(plan);
  if (!f) {
    f = { units: new Map(stageUnits(plan).map((u) => [u.key, u])), byName: new Map(plan.map((p) => [scopedName(p.layer, p.layer.layer.name), p])), shapes: undefined, joins: [undefined, undefined] };
    share?.facts.set(plan, f);
  }
  return f;
}

function joinsById(f: PlanFacts, plan: PathLayer[], tables: CostTables, uram: boolean): Map<string, JoinBuffer> {
  return (f.joins[uram ? 1 : 0] ??= new Map(joinBuffers(plan, tables, uram, (f.shapes ??= joinShapes(plan))).map((b) => [b.id, b])));
}

/** `rows` false: the design's totals without its per-layer rows (`layers` empty), for designs compared by their totals. */
export function evalPipeline(plan: PathLayer[], point: Point, platform: Platform, tables: CostTables, w: Workload, share?: PipelineShare, rows = true): Timed {
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
  const facts = planFacts(plan, share);
  const units = facts.units;
  const sliceStage = new Map<number, number>();
  let allLanes = 0;
  const done = new Map<string, ReturnType<typeof unitStageCost>>();
  // A stage's time and hardware come from one description of it (described once, not once each).
  const describe = share?.describe ?? stageMemo();
  const joins = joinsById(facts, plan, tables, spec.buffersInUram);
  // Channels per stream word of each tensor, as the template streams it: a MAC stage's POUT, an element-wise
  // layer's input's (emit/pipeline.ts); 1 where unknown.
  const byName = facts.byName;
  const wordOf = (pl: PathLayer | undefined, seen = 0): number => {
    if (!pl || seen > plan.length) return 1;
    if (pl.kind === 'mac') return spec.layers[stageKey(pl)]?.pout ?? 1;
    const src = pl.layer.layer.inputs[0];
    return wordOf(byName.get(scopedName(pl.layer, src)), seen + 1);
  };
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind !== 'mac' && l.op === 'pixel_shuffle' && pl.kind !== 'cpu') {
      // The template's shuffle process (arch/pipeline.ts): a word a cycle in and out, a stage of the frame.
      const src = byName.get(scopedName(l, l.layer.inputs[0]));
      const cycles = shuffleCycles({ h: l.inH, w: l.inW, c: l.cout, r: l.layer.factor ?? 1 }, wordOf(src));
      if (rows) {
        const row = passive(pl, 'compute');
        row.cycles = cycles;
        row.timeMs = (cycles / f) * 1e3;
        row.mapping = `pixel shuffle, ${wordOf(src)}-channel words`;
        layers.push(row);
      }
      if (cycles > maxStage) {
        maxStage = cycles;
        slowest = { id: pl.id, bound: 'compute', cycles };
      }
      continue;
    }
    if (pl.kind !== 'mac') {
      const join = joins.get(pl.id);
      if (join) resources = addResources(resources, join.resources);
      if (rows) {
        const row = passive(pl, pl.kind === 'cpu' ? 'cpu' : 'fused');
        if (join) {
          row.bram18 = join.resources.bram18;
          row.mapping = `join buffer: ${join.rows} rows × ${join.width} × ${join.channels} of ${join.held}${spec.buffersInUram ? ' (URAM)' : ''}`;
        }
        layers.push(row);
      }
      continue;
    }
    const key = stageKey(pl);
    const unit = units.get(key)!;
    const cfg: PipelineLayer = spec.layers[key] ?? { pin: 1, pout: 1, pk: 1, weights: 'onchip', reuse: 1, spill: false, fifoDepth: 2 };
    const lanes = cfg.pin * cfg.pout * cfg.pk;
    let stage = done.get(key);
    const first = !stage;
    if (!stage) {
      const members = unit.members.map((m) => (share ? share.member(m) : unitMember(m)));
      const bad = unitOptionsValid(members, cfg);
      if (bad) throw new UserError(bad, { field: `pipeline.layers.${key}` });
      const cost = () => unitStageCost(prepareUnit(members), cfg, platform.spec.dspFamily, tables, { weightsInUram: spec.weightsInUram, buffersInUram: spec.buffersInUram, depth: macPipelineDepth(cfg.pin, pl.precision), describe });
      if (share) {
        let byPlace = share.stages.get(cfg);
        if (!byPlace) share.stages.set(cfg, (byPlace = new Map()));
        const at = `${spec.deconv ?? ''}|${key}|${spec.weightsInUram}|${spec.buffersInUram}`;
        stage = byPlace.get(at);
        if (!stage) byPlace.set(at, (stage = cost()));
      } else stage = cost();
      done.set(key, stage);
      allLanes += lanes;
      resources = addResources(resources, stage.resources);
      bytes += stage.dramBytes;
      if ((cfg.weights === 'stream' || cfg.spill) && ports === 2) ports = 3;
      if (pl.serial) serialPerPos += stage.cyclesPerPosition;
      else {
        maxStage = Math.max(maxStage, stage.cycles);
        fill += stage.fillCycles;
        if (!slowest || stage.cycles > slowest.cycles) slowest = { id: key, bound: 'compute', cycles: stage.cycles };
      }
    }
    const c = stage.perMember[unit.members.indexOf(pl)];
    // At decode, one slice's transforms stream through their stages together; slice i+1 waits for slice i.
    if (l.instance !== undefined && !pl.serial) sliceStage.set(l.instance, Math.max(sliceStage.get(l.instance) ?? 0, c.cycles));
    if (!rows) continue;
    const cycles = pl.serial ? c.cyclesPerPosition * l.outH * l.outW : c.cycles;
    const bound: Bound = pl.serial ? 'serial' : 'compute';
    const r = roofline(2 * l.macs, c.dramBytes, 2 * lanes * f, platform.bandwidthBytesPerSec);
    const shared = unit.members.length > 1 ? ` shared by ${unit.members.length}` : '';
    // The passive row filled in field by field, in its key order (a literal spreading the roofline in its middle
    // copied key by key, for every layer of every candidate design).
    const row = passive(pl, bound);
    row.stage = key;
    row.executedMacs = c.executedMacs;
    row.cycles = cycles;
    row.timeMs = (cycles / f) * 1e3;
    row.ops = r.ops;
    row.offchipBytes = r.offchipBytes;
    row.ctc = r.ctc;
    row.attainableGops = r.attainableGops;
    row.rooflineBound = r.rooflineBound;
    row.utilization = l.macs / (Math.max(1, cycles) * lanes);
    row.lanes = lanes;
    // A shared stage's hardware is counted once, on its first layer.
    row.dsp = first ? stage.resources.dsp : 0;
    row.bram18 = first ? stage.resources.bram18 : 0;
    row.mapping = `pin${cfg.pin} pout${cfg.pout}${cfg.pk > 1 ? ` pk${cfg.pk}` : ''}${cfg.weights === 'stream' ? ` stream×${cfg.reuse}` : ''}${cfg.spill ? ' spill' : ''}${shared}`;
    layers.push(row);
  }
  for (const v of sliceStage.values()) slice += v;
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
    latencyCycles: Math.ceil(fill + maxStage), dramBytesPerFrame: bytes, slowest, lanes: allLanes,
  };
}

/** The image in, the latents out to the entropy coder (or in, at decode) and the image out. */
export function imageAndLatentBytes(w: Workload, point: Point): number {
  const img = w.resolution.paddedWidth * w.resolution.paddedHeight * 3;
  const p = parsePrecision(point.precision);
  const lat = w.latents.reduce((s, l) => s + l.elements, 0) * (p.actBits / 8);
  return img + lat;
}

/** A join's buffer: the earlier operand of a residual add or gating multiply, held while the other branch lags. */
export interface JoinBuffer {
  id: string;
  held: string;
  rows: number;
  width: number;
  channels: number;
  bytes: number;
  resources: Resources;
}

/** A join buffer without its memory mapping: what the path's stream timing fixes, wherever the buffer lives. */
export type JoinShape = Omit<JoinBuffer, 'resources'> & { word: { width: number; depth: number } };

/**
 * The join buffers of a path (arch/pipeline.ts: row-granular stages, window bands, parallel branches take the
 * larger lead), before they are mapped to memories: a search maps the same shapes under every placement.
 */
export function joinShapes(plan: PathLayer[]): JoinShape[] {
  const scopes = new Map<string, Map<string, StreamNode>>();
  for (const pl of plan) {
    const l = pl.layer;
    const key = `${l.part}#${l.instance ?? ''}`;
    if (!scopes.has(key)) scopes.set(key, new Map());
    const L = l.layer;
    scopes.get(key)!.set(L.name, { op: l.op, inputs: L.inputs, inH: l.inH, outH: l.outH, kernel: L.kernel, stride: L.stride, padding: L.padding, window: L.window, form: L.form });
  }
  const leads = new Map([...scopes].map(([k, nodes]) => [k, streamLeads(nodes)]));
  const out: JoinShape[] = [];
  for (const pl of plan) {
    const l = pl.layer;
    if (pl.kind === 'mac' || (l.op !== 'add' && l.op !== 'mul') || l.layer.inputs.length < 2) continue;
    const { rows, held } = joinRows(leads.get(`${l.part}#${l.instance ?? ''}`)!, l.layer.inputs, l.outH);
    const r = Math.min(rows, l.outH);
    const elems = r * l.outW * l.cout;
    // One FIFO of packed words (arch/pipeline.ts), mapped like any other buffer (aspect-ratio table, LUTRAM when
    // small). The join reads ⌈C·bits/64⌉ words a pixel, far fewer cycles per frame than any MAC stage spends on it.
    const word = packedWord(elems * pl.precision.actBits, Math.min(l.cout * pl.precision.actBits, PACKED_WORD_BITS));
    out.push({ id: pl.id, held, rows: r, width: l.outW, channels: l.cout, bytes: elems * (pl.precision.actBits / 8), word });
  }
  return out;
}

/** The join buffers of a path mapped to memories: on-chip memory a pipeline needs whatever its parallelism; in URAM when `uram`. */
export function joinBuffers(plan: PathLayer[], tables: CostTables, uram = false, shapes: JoinShape[] = joinShapes(plan)): JoinBuffer[] {
  return shapes.map(({ word, ...j }) => {
    const mem = memoryFor(tables, [{ count: 1, ...word, uram }]);
    return { ...j, resources: { ...zeroResources(), bram18: mem.bram18, uram: mem.uram, lut: mem.lutram } };
  });
}

/** The join buffers' summed resources. */
export function skipBuffers(plan: PathLayer[], tables: CostTables, uram = false): Resources {
  return joinBuffers(plan, tables, uram).reduce((r, b) => addResources(r, b.resources), zeroResources());
}

/** What a shared stage needs of a layer: its lowering, precision, (masked conv) causal taps and emitted geometry. */
export function unitMember(pl: PathLayer): UnitMember {
  const l = pl.layer;
  const lw = pl.lowered!;
  return { lowered: lw, precision: pl.precision, serialTaps: l.op === 'masked_conv' ? l.macs / (l.outH * l.outW * l.cout * lw.N) : undefined, geom: stageGeomOf(pl) };
}

const GDN_OPS = new Set(['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified']);

/** The geometry the pipeline template gives a dense conv, deconv or GDN stage (arch/pipeline.ts); none for others. */
export function stageGeomOf(pl: PathLayer): StageGeom | undefined {
  const l = pl.layer;
  const lw = pl.lowered;
  if (!lw || lw.groups !== 1) return undefined;
  if (GDN_OPS.has(l.op)) return { kind: 'gdn', cin: l.cin, cout: l.cout, ih: l.inH, iw: l.inW, oh: l.outH, ow: l.outW, kh: 1, kw: 1, sh: 1, sw: 1, pt: 0, pl: 0 };
  if ((l.op !== 'conv' && l.op !== 'deconv') || !l.layer.kernel) return undefined;
  const L = l.layer;
  if (L.dilation && (L.dilation[0] !== 1 || L.dilation[1] !== 1)) return undefined;
  const [pt, pad] = padding(l);
  const kind = l.op === 'conv' ? 'conv' : lw.outPerPosition > 1 ? 'subpixel' : 'zero-insert';
  return { kind, cin: l.cin, cout: l.cout, ih: l.inH, iw: l.inW, oh: l.outH, ow: l.outW, kh: L.kernel![0], kw: L.kernel![1], sh: L.stride![0], sw: L.stride![1], pt, pl: pad };
}
