/**
 * The engine template's microarchitecture, described once (DESIGN.md §5): cost/ counts cycles, traffic and
 * resources from it and emit/ writes tiling.h and the kernel's constants from it. Pure.
 *
 * Engine (hls-templates/engine/lic_engine.h): one array of PIF×POF×POY×POX MAC lanes; per layer a schedule of
 * steps, each running concurrently (ping-pong buffers) the compute of input tile k, the loads of input tile
 * k+1 (activations, weights+bias) and, on the first input tile of an output tile, the store of the previous
 * output tile. A step takes as long as its slowest process or the DRAM.
 *  - compute: one flattened II=1 loop over passes × valid taps × ⌈tm/POF⌉ × ⌈tn/PIF⌉ × ⌈tr/POY⌉ × ⌈tc/POX⌉.
 *  - load of activations: channel-blocked beats (L channels per beat), one buffer word (PIF channels) written
 *    per trip: Σ over the beats of a pixel of ⌈channels in the beat / PIF⌉ trips (PIF divides L).
 *  - load of weights: rows of POF×PIF weights padded to whole beats, one beat per trip, plus the bias beats.
 *  - store: one accumulator word (POF channels) read per trip, one output beat per channel block and pixel.
 * Buffers: input POY·POX banks (stride-aware: lane (dy,dx) at tap (ty,tx) reads bank ((dy+⌊ty/s⌋) mod POY,
 * (dx+⌊tx/s⌋) mod POX), so the lanes of one cycle never share a bank); weights POF banks of PIF-wide words;
 * accumulators POY·POX banks of POF-wide words; every buffer doubled (ping-pong).
 */
import type { EngineSpec } from '../mapping/schema.js';
import type { Precision } from '../platform/precision.js';
import { addTraffic, beatCycles, blockTraffic, noTraffic, type AxiParams, type Block, type Traffic } from './axi.js';

const cdiv = (a: number, b: number) => Math.ceil(a / b);

export type GeomKind = 'conv' | 'subpixel' | 'zero-insert' | 'pointwise';

/** One layer's loop nest on the engine. Channels are per group; the store's extras are folded element-wise ops. */
export interface EngineGeom {
  kind: GeomKind;
  groups: number;
  N: number;
  M: number;
  ih: number;
  iw: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Zero rows/columns before the input (conv), or P of o = i·s + k − P (transposed conv). */
  pt: number;
  pl: number;
  /** Output map (before a folded pixel shuffle). */
  oh: number;
  ow: number;
  /** x² split into two 8-bit halves for the packed multipliers (GDN/IGDN): 2 passes; else 1. */
  passes: number;
  /** The store re-reads x (GDN's division) or a residual operand. */
  storeReads: boolean;
  /** Pixel shuffle folded into the store (1 = none). */
  shuffle: number;
}

const grids = new WeakMap<EngineGeom, ReturnType<typeof gridOf>>();
/** Compute grid: origin (sub-pixel phase offset) and size in grid positions; outputs per position. */
export function grid(g: EngineGeom) {
  let v = grids.get(g);
  if (!v) {
    v = gridOf(g);
    grids.set(g, v);
  }
  return v;
}

function gridOf(g: EngineGeom) {
  if (g.kind === 'subpixel') {
    const gy0 = Math.floor(g.pt / g.sh);
    const gx0 = Math.floor(g.pl / g.sw);
    return {
      gy0, gx0,
      gr: Math.floor((g.oh - 1 + g.pt) / g.sh) - gy0 + 1,
      gc: Math.floor((g.ow - 1 + g.pl) / g.sw) - gx0 + 1,
      opp: g.sh * g.sw,
    };
  }
  return { gy0: 0, gx0: 0, gr: g.oh, gc: g.ow, opp: 1 };
}

/** The stride of the buffer index between neighbouring grid positions (1 for the stride-1 forms). */
const readStride = (g: EngineGeom, dim: 'y' | 'x') => (g.kind === 'conv' ? (dim === 'y' ? g.sh : g.sw) : 1);

/** One executed tap: weight index, buffer offsets (added to grid·stride) and output phase. */
export interface Tap {
  wt: number;
  addy: number;
  addx: number;
  ph: number;
}

/** Taps along one dimension: the kernel (conv, zero-insert), the valid sub-pixel taps of every phase, or 1. */
function taps1(g: EngineGeom, dim: 'y' | 'x') {
  const k = dim === 'y' ? g.kh : g.kw;
  const s = dim === 'y' ? g.sh : g.sw;
  const p = dim === 'y' ? g.pt : g.pl;
  const g0 = dim === 'y' ? grid(g).gy0 : grid(g).gx0;
  const out: { wk: number; add: number; ph: number }[] = [];
  if (g.kind === 'conv') for (let t = 0; t < k; t++) out.push({ wk: t, add: t - p, ph: 0 });
  else if (g.kind === 'zero-insert') for (let t = 0; t < k; t++) out.push({ wk: t, add: p - t, ph: 0 });
  else if (g.kind === 'subpixel') {
    const J = cdiv(k, s);
    for (let phase = 0; phase < s; phase++) for (let j = 0; j < J; j++) if (phase + s * j < k) out.push({ wk: phase + s * j, add: g0 - j, ph: phase });
  } else out.push({ wk: 0, add: 0, ph: 0 });
  return out;
}

/** Every executed tap of a layer, in the kernel's order. */
export function tapList(g: EngineGeom): Tap[] {
  const ty = taps1(g, 'y');
  const tx = taps1(g, 'x');
  const out: Tap[] = [];
  for (const a of ty) {
    for (const b of tx) {
      out.push({
        wt: g.kind === 'pointwise' ? 0 : a.wk * g.kw + b.wk,
        addy: a.add, addx: b.add,
        ph: g.kind === 'subpixel' ? a.ph * g.sw + b.ph : 0,
      });
    }
  }
  return out;
}

const tapCounts = new WeakMap<EngineGeom, number>();
/** Executed taps of a layer (cached per geometry object: the search asks for it per tile). */
export function tapCount(g: EngineGeom): number {
  let n = tapCounts.get(g);
  if (n === undefined) {
    n = tapList(g).length;
    tapCounts.set(g, n);
  }
  return n;
}

/** Weight rows per (output word, input word): kernel taps (every tap has its own weights), 1 for GDN. */
export const weightTaps = (g: EngineGeom) => (g.kind === 'pointwise' ? 1 : g.kh * g.kw);

/** Buffer coordinates [lo, hi) that grid positions [g0, g0+n) read, clipped to the (zero-inserted) input, and the unclipped origin. */
export function window1(geo: EngineGeom, dim: 'y' | 'x', gStart: number, n: number) {
  const k = dim === 'y' ? geo.kh : geo.kw;
  const s = dim === 'y' ? geo.sh : geo.sw;
  const p = dim === 'y' ? geo.pt : geo.pl;
  const extent = dim === 'y' ? geo.ih : geo.iw;
  const g0 = dim === 'y' ? grid(geo).gy0 : grid(geo).gx0;
  let lo: number;
  let hi: number;
  if (geo.kind === 'conv') { lo = gStart * s - p; hi = (gStart + n - 1) * s - p + k; }
  else if (geo.kind === 'subpixel') { lo = gStart + g0 - cdiv(k, s) + 1; hi = gStart + g0 + n; }
  else if (geo.kind === 'zero-insert') { lo = gStart + p - (k - 1); hi = gStart + n + p; }
  else { lo = gStart; hi = gStart + n; }
  const ext = geo.kind === 'zero-insert' ? (extent - 1) * s + 1 : extent;
  const clo = Math.max(0, lo);
  const chi = Math.max(clo, Math.min(hi, ext));
  return { origin: lo, span: hi - lo, lo: clo, len: chi - clo };
}

/** The engine's fixed structure for a design point and precision. */
export interface EngineArch {
  pif: number;
  pof: number;
  poy: number;
  pox: number;
  lanes: number;
  /** Channels per DRAM beat (channel-blocked layout) and bytes per beat of every port. */
  L: number;
  beatBytes: number;
  actBytes: number;
  wBytes: number;
  accBytes: number;
  /** Pipeline fill of the compute loop, and of the load/store loops. */
  computeDepth: number;
  moveDepth: number;
  /** Control cycles per schedule step and per layer (descriptor read, loop set-up). */
  perStepCycles: number;
  perLayerCycles: number;
}

export interface BufferBank {
  name: 'in' | 'w' | 'out' | 'bias';
  /** Banks including the ping-pong copy. */
  count: number;
  width: number;
  depth: number;
  impl: 'bram' | 'uram' | 'reg';
}

/** Channels per beat of the channel-blocked layout: the point's choice, else a full beat of activations. */
export function layoutLanes(spec: EngineSpec, p: Precision): number {
  const full = Math.max(1, Math.floor(spec.ports.widthBits / p.actBits));
  return Math.min(full, spec.layoutLanes ?? full);
}

export function engineArch(spec: EngineSpec, p: Precision, o: { computeDepth: number; perStepCycles: number; perLayerCycles: number }): EngineArch {
  return {
    pif: spec.pif, pof: spec.pof, poy: spec.poy, pox: spec.pox, lanes: spec.pif * spec.pof * spec.poy * spec.pox,
    L: layoutLanes(spec, p), beatBytes: spec.ports.widthBits / 8,
    actBytes: p.actBits / 8, wBytes: p.weightBits / 8, accBytes: p.accBits / 8,
    computeDepth: o.computeDepth, moveDepth: MOVE_DEPTH, perStepCycles: o.perStepCycles, perLayerCycles: o.perLayerCycles,
  };
}

/** Fill of a load/store loop: address, AXI data register, buffer write (assumption stated in the emitted README). */
export const MOVE_DEPTH = 4;

/** Every on-chip memory of the engine: what resources.ts maps to BRAM18/URAM and lic_engine.h declares. */
export function engineBuffers(spec: EngineSpec, p: Precision): BufferBank[] {
  const nb = spec.poy * spec.pox;
  return [
    { name: 'in', count: 2 * nb, width: spec.pif * p.actBits, depth: spec.inBufDepth, impl: spec.actInUram ? 'uram' : 'bram' },
    { name: 'w', count: 2 * spec.pof, width: spec.pif * p.weightBits, depth: spec.wBufDepth, impl: spec.weightsInUram ? 'uram' : 'bram' },
    { name: 'out', count: 2 * nb, width: spec.pof * p.accBits, depth: spec.outBufDepth, impl: 'bram' },
    // Biases of the output-channel tile, read POF at a time at any offset: registers.
    { name: 'bias', count: 2 * spec.tof, width: p.accBits, depth: 1, impl: 'reg' },
  ];
}

/**
 * Multipliers: the MAC array (two products sharing the activation per DSP where the family packs them, WP486;
 * else one per MAC or more), and the store's per-lane scaling (GDN's x·rsqrt, one per accumulator lane read per
 * cycle, capped by a beat's lanes).
 */
export function engineMultipliers(spec: EngineSpec, L: number, dspPerMac: number, packed: boolean, isInt: boolean) {
  const spatialIn = spec.pif * spec.poy * spec.pox;
  const mac = packed ? spatialIn * Math.ceil(spec.pof / 2) : Math.ceil(spec.pif * spec.pof * spec.poy * spec.pox * dspPerMac);
  const post = isInt ? Math.min(spec.pof, L) : 0;
  return { mac, post, packed };
}

/** Words each tile needs per bank (the depths the buffers must have). */
export function tileDepths(arch: EngineArch, g: EngineGeom, t: { tn: number; tm: number; tr: number; tc: number }) {
  const sy = readStride(g, 'y');
  const sx = readStride(g, 'x');
  const wy = window1(g, 'y', 0, t.tr);
  const wx = window1(g, 'x', 0, t.tc);
  const rows = cdiv(wy.span, sy * arch.poy) * sy;
  const cols = cdiv(wx.span, sx * arch.pox) * sx;
  return {
    rowsPerBank: rows,
    colsPerBank: cols,
    inDepth: cdiv(t.tn, arch.pif) * rows * cols,
    wDepth: cdiv(t.tm, arch.pof) * cdiv(t.tn, arch.pif) * weightTaps(g),
    outDepth: cdiv(t.tm, arch.pof) * cdiv(t.tr, arch.poy) * cdiv(t.tc, arch.pox) * grid(g).opp,
  };
}

/** Trips to move `channels` channels of one pixel between beats of L channels and words of `word` channels. */
export function moveTrips(channels: number, L: number, word: number): number {
  let trips = 0;
  for (let c = 0; c < channels; c += L) {
    const inBeat = Math.min(L, channels - c);
    trips += word >= L ? 1 : wordsTouched(c, inBeat, word);
  }
  return trips;
}

/** Words of `word` channels that channels [start, start+len) touch. */
export const wordsTouched = (start: number, len: number, word: number) => Math.floor((start + len - 1) / word) - Math.floor(start / word) + 1;

/** What one process does in one step: loop trips, pipeline fills and the traffic of each port. */
export interface Work {
  trips: number;
  fills: number;
  ports: Partial<Record<PortName, Traffic>>;
}
export type PortName = 'rd' | 'w' | 'wr' | 'aux';

// A loop that runs no trip fills no pipeline (a zero-size tile's process only hands shake, inside the step's control cycles).
// Every Work has the same four port keys (absent = undefined): stepCycles then reads one object shape.
const work = (trips: number, fills: number, ports: Work['ports'] = {}): Work => ({ trips, fills: trips > 0 ? fills : 0, ports: { rd: ports.rd, w: ports.w, wr: ports.wr, aux: ports.aux } });

/** Rows of a zero-inserted window that hold real input rows (multiples of s). */
const realCount = (lo: number, len: number, s: number) => (len <= 0 ? 0 : Math.floor((lo + len - 1) / s) - Math.ceil(lo / s) + 1);

/** The input tile load of `tn` channels over window rows×cols. */
export function loadInput(arch: EngineArch, g: EngineGeom, axi: AxiParams, tn: number, wy: { lo: number; len: number }, wx: { lo: number; len: number }): Work {
  const blocks = cdiv(tn, arch.L);
  const trips = wy.len * wx.len * moveTrips(tn, arch.L, arch.pif);
  const zi = g.kind === 'zero-insert';
  const rows = zi ? realCount(wy.lo, wy.len, g.sh) : wy.len;
  const cols = zi ? realCount(wx.lo, wx.len, g.sw) : wx.len;
  const fullRows = cols === g.iw;
  const block: Block = fullRows ? { runs: blocks, beatsPerRun: rows * cols } : { runs: blocks * rows, beatsPerRun: cols };
  return work(trips, 1, { rd: blockTraffic(block, arch.beatBytes, axi) });
}

/** Weight rows of a tile (POF×PIF padded to whole beats) and its bias, one beat per trip. */
export function loadWeights(arch: EngineArch, g: EngineGeom, axi: AxiParams, tn: number, tm: number): Work {
  const rows = cdiv(tm, arch.pof) * cdiv(tn, arch.pif) * weightTaps(g);
  const perRow = cdiv(arch.pof * arch.pif * arch.wBytes, arch.beatBytes);
  const biasBeats = cdiv(tm * arch.accBytes, arch.beatBytes);
  const w = blockTraffic({ runs: 1, beatsPerRun: rows * perRow }, arch.beatBytes, axi);
  const b = blockTraffic({ runs: 1, beatsPerRun: biasBeats }, arch.beatBytes, axi);
  return work(rows * perRow + biasBeats, (rows > 0 ? 1 : 0) + (biasBeats > 0 ? 1 : 0), { w: addTraffic(w, b) });
}

/** The flattened MAC loop of one input tile. */
export function computeWork(arch: EngineArch, g: EngineGeom, taps: number, tn: number, tm: number, tr: number, tc: number): Work {
  return work(g.passes * taps * cdiv(tm, arch.pof) * cdiv(tn, arch.pif) * cdiv(tr, arch.poy) * cdiv(tc, arch.pox), 1);
}

/** Output range [lo, lo+len) that grid positions [gStart, gStart+n) produce along one dimension. */
export function outRange(g: EngineGeom, dim: 'y' | 'x', gStart: number, n: number) {
  const ext = dim === 'y' ? g.oh : g.ow;
  if (g.kind !== 'subpixel') return { lo: gStart, len: Math.max(0, Math.min(n, ext - gStart)) };
  const s = dim === 'y' ? g.sh : g.sw;
  const p = dim === 'y' ? g.pt : g.pl;
  const g0 = dim === 'y' ? grid(g).gy0 : grid(g).gx0;
  const lo = Math.max(0, (gStart + g0) * s - p);
  const hi = Math.min(ext, (gStart + n + g0) * s - p);
  return { lo, len: Math.max(0, hi - lo) };
}

/** The store of one output tile: accumulator words read, beats written (and re-read for GDN / residual). */
export function storeWork(arch: EngineArch, g: EngineGeom, axi: AxiParams, tm: number, oy: { len: number }, ox: { len: number }): Work {
  const pos = oy.len * ox.len;
  if (pos === 0) return work(0, 0);
  const r = g.shuffle;
  let trips: number;
  let block: Block;
  if (r > 1) {
    // Every channel of a position read first, then r² destination pixels × channel blocks written.
    const blocks = cdiv(tm / (r * r), arch.L);
    trips = pos * (cdiv(tm, arch.pof) + r * r * blocks);
    // Runs of r beats (a destination row of a position); with one channel block and full-width rows, a row's
    // last run and the next row's first are adjacent in DRAM and make one run of 2r.
    const joins = blocks === 1 && ox.len === g.ow ? oy.len - 1 : 0;
    const t2 = addTraffic(blockTraffic({ runs: pos * r - 2 * joins, beatsPerRun: r }, arch.beatBytes, axi), blockTraffic({ runs: joins, beatsPerRun: 2 * r }, arch.beatBytes, axi));
    return work(trips, 1, { wr: t2, ...(g.storeReads ? { aux: t2 } : {}) });
  } else {
    const blocks = cdiv(tm, arch.L);
    let words = 0;
    for (let c = 0; c < tm; c += arch.L) words += wordsTouched(c, Math.min(arch.L, tm - c), arch.pof);
    trips = pos * words;
    block = ox.len === g.ow ? { runs: blocks, beatsPerRun: pos } : { runs: blocks * oy.len, beatsPerRun: ox.len };
  }
  const t = blockTraffic(block, arch.beatBytes, axi);
  return work(trips, 1, { wr: t, ...(g.storeReads ? { aux: t } : {}) });
}

/** One port's cycles in a step: a beat per `per` cycles or the round trips its transactions need, plus one exposed round trip. */
const portTime = (b: number, t: number, per: number, axi: AxiParams) => (b <= 0 ? 0 : Math.max(b * per, Math.ceil((t * axi.latencyCycles) / axi.outstanding)) + axi.latencyCycles);

/** A step of the schedule: its processes run together; the DRAM serves all their traffic. */
export function stepCycles(ws: Work[], arch: EngineArch, axi: AxiParams, dramBytesPerCycle: number, fillOf: (w: Work) => number): number {
  let worst = 0;
  // The four ports, summed over the processes that use them (no allocation: this is the search's hot path).
  let b0 = 0, t0 = 0, b1 = 0, t1 = 0, b2 = 0, t2 = 0, b3 = 0, t3 = 0, dram = 0;
  for (const w of ws) {
    worst = Math.max(worst, w.trips + fillOf(w));
    const p = w.ports;
    if (p.rd) { b0 += p.rd.beats; t0 += p.rd.transactions; dram += p.rd.dramBytes; }
    if (p.w) { b1 += p.w.beats; t1 += p.w.transactions; dram += p.w.dramBytes; }
    if (p.wr) { b2 += p.wr.beats; t2 += p.wr.transactions; dram += p.wr.dramBytes; }
    if (p.aux) { b3 += p.aux.beats; t3 += p.aux.transactions; dram += p.aux.dramBytes; }
  }
  const per = beatCycles(arch.beatBytes * 8, axi);
  worst = Math.max(worst, portTime(b0, t0, per, axi), portTime(b1, t1, per, axi), portTime(b2, t2, per, axi), portTime(b3, t3, per, axi));
  void arch;
  return Math.max(worst, dram / dramBytesPerCycle);
}

/** Tiles along one dimension in classes of equal shape: first, interior, last (count, start of a representative, size). */
export function tileClasses(extent: number, t: number): { count: number; start: number; n: number }[] {
  const nt = cdiv(extent, t);
  if (nt === 1) return [{ count: 1, start: 0, n: extent }];
  const out = [{ count: 1, start: 0, n: t }];
  if (nt > 2) out.push({ count: nt - 2, start: t, n: t });
  out.push({ count: 1, start: (nt - 1) * t, n: extent - (nt - 1) * t });
  return out;
}

/** Sizes along a channel dimension: full tiles and the remainder. */
export function channelClasses(extent: number, t: number): { count: number; n: number }[] {
  const full = Math.floor(extent / t);
  const rest = extent - full * t;
  return [...(full ? [{ count: full, n: t }] : []), ...(rest ? [{ count: 1, n: rest }] : [])];
}

export interface LayerSchedule {
  cycles: number;
  /** Pure MAC-loop trips, pipeline and step overheads, and the cycles the loads/stores/DRAM add on top. */
  computeCycles: number;
  overheadCycles: number;
  memoryCycles: number;
  dramBytes: number;
  steps: number;
}

/** A place in a sequence of tile classes (run lengths in order): its class, its neighbours' classes (−1: none) and how many places look alike. */
export interface SeqPos {
  prev: number;
  cls: number;
  next: number;
  count: number;
}

/** The places of a run-length sequence grouped by (previous, own, next) class: at most three per run. */
export function seqPositions(counts: number[]): SeqPos[] {
  const out: SeqPos[] = [];
  for (let j = 0; j < counts.length; j++) {
    const before = j > 0 ? j - 1 : -1;
    const after = j < counts.length - 1 ? j + 1 : -1;
    if (counts[j] === 1) {
      out.push({ prev: before, cls: j, next: after, count: 1 });
      continue;
    }
    out.push({ prev: before, cls: j, next: j, count: 1 });
    if (counts[j] > 2) out.push({ prev: j, cls: j, next: j, count: counts[j] - 2 });
    out.push({ prev: j, cls: j, next: after, count: 1 });
  }
  return out;
}

/**
 * Cycles of one layer under the engine's schedule (see the header), step for step as run_layer issues them:
 * step k computes input tile k, loads input tile k+1 (the next output tile's first when k is its output tile's
 * last) and, on an output tile's first input tile, stores the previous output tile; a prologue loads the first
 * tile and an epilogue stores the last. A step's cost depends on the shapes of the tiles it touches, so each
 * output tile is costed with its own, its predecessor's and its successor's shape classes (first, interior,
 * last along rows and columns; full and remainder along channels); places in the tile order with the same
 * three classes are costed once.
 */
export function layerSchedule(arch: EngineArch, g: EngineGeom, axi: AxiParams, dramBytesPerCycle: number, t: { tn: number; tm: number; tr: number; tc: number }): LayerSchedule {
  const gr = grid(g);
  const taps = tapCount(g);
  const ms = channelClasses(g.M, t.tm);
  const ns = channelClasses(g.N, t.tn);
  const rs = tileClasses(gr.gr, t.tr);
  const cs = tileClasses(gr.gc, t.tc);
  const fill = (w: Work) => w.fills * (w.ports.rd || w.ports.w || w.ports.wr ? arch.moveDepth : arch.computeDepth);
  const step = (ws: Work[]) => stepCycles(ws, arch, axi, dramBytesPerCycle, fill) + arch.perStepCycles;
  // Input tiles of an output tile in order, by size class (0: full, 1: remainder).
  const seq: number[] = [];
  ns.forEach((n, k) => { for (let i = 0; i < n.count; i++) seq.push(k); });
  const S = seq.length;
  const nOf = [ns[0].n, ns[ns.length - 1].n];
  const NR = rs.length;
  const NC = cs.length;
  const T = ms.length * NR * NC;
  // Per output-tile class (index (m·NR + r)·NC + c): its store, and per input size class its compute and loads.
  type Cls = { st: Work; comp: Work[]; li: Work[]; lw: Work[]; trips: number; bytes: number };
  const infos: (Cls | undefined)[] = new Array(T);
  const info = (k: number): Cls => {
    let v = infos[k];
    if (!v) {
      const m = ms[Math.floor(k / (NR * NC))];
      const r = rs[Math.floor(k / NC) % NR];
      const c = cs[k % NC];
      const wy = window1(g, 'y', r.start, r.n);
      const wx = window1(g, 'x', c.start, c.n);
      const st = storeWork(arch, g, axi, m.n, outRange(g, 'y', r.start, r.n), outRange(g, 'x', c.start, c.n));
      v = { st, comp: [], li: [], lw: [], trips: 0, bytes: 0 };
      for (let i = 0; i < ns.length; i++) {
        v.comp[i] = computeWork(arch, g, taps, nOf[i], m.n, r.n, c.n);
        v.li[i] = loadInput(arch, g, axi, nOf[i], wy, wx);
        v.lw[i] = loadWeights(arch, g, axi, nOf[i], m.n);
      }
      // Its own MAC trips and DRAM bytes (its loads and its store, whichever steps they run in).
      for (const i of seq) {
        v.trips += v.comp[i].trips;
        v.bytes += v.li[i].ports.rd!.dramBytes + v.lw[i].ports.w!.dramBytes;
      }
      for (const p of [st.ports.wr, st.ports.aux]) v.bytes += p ? p.dramBytes : 0;
      infos[k] = v;
    }
    return v;
  };
  // One step: compute (class cur, size ni), the load of (class ld, size li) unless ld < 0, the store of class so unless so < 0.
  const steps1 = new Map<number, number>();
  const stepOf = (cur: number, ni: number, ld: number, li: number, so: number) => {
    const key = (((cur * 2 + ni) * (T + 1) + ld + 1) * 2 + li) * (T + 1) + so + 1;
    let v = steps1.get(key);
    if (v === undefined) {
      const ws = [info(cur).comp[ni]];
      if (ld >= 0) ws.push(info(ld).li[li], info(ld).lw[li]);
      if (so >= 0) ws.push(info(so).st);
      v = step(ws);
      steps1.set(key, v);
    }
    return v;
  };
  // The steps between an output tile's first and last, which touch no other output tile.
  const mids: number[] = new Array(T);
  const midOf = (cur: number) => {
    if (mids[cur] === undefined) {
      let c0 = 0;
      for (let i = 1; i < S - 1; i++) c0 += stepOf(cur, seq[i], cur, seq[i + 1], -1);
      mids[cur] = c0;
    }
    return mids[cur];
  };
  const tileOf = (prev: number, cur: number, next: number) =>
    S === 1 ? stepOf(cur, seq[0], next, seq[0], prev) : stepOf(cur, seq[0], cur, seq[1], prev) + midOf(cur) + stepOf(cur, seq[S - 1], next, seq[0], -1);
  const at = (m: number, r: number, c: number) => (m * NR + r) * NC + c;
  const lastM = ms.length - 1;
  let cycles = arch.perLayerCycles;
  let compute = 0;
  let bytes = 0;
  let steps = 0;
  // Output tiles in kernel order (groups → m → rows → columns): a neighbour across an outer boundary is the
  // outer neighbour's last (or first) class along every inner dimension.
  const P2 = seqPositions(rs.map((r) => r.count));
  const P3 = seqPositions(cs.map((c) => c.count));
  for (const p0 of seqPositions([g.groups])) for (const p1 of seqPositions(ms.map((m) => m.count))) for (const p2 of P2) for (const p3 of P3) {
    const mult = p0.count * p1.count * p2.count * p3.count;
    const cur = at(p1.cls, p2.cls, p3.cls);
    const prev = p3.prev >= 0 ? at(p1.cls, p2.cls, p3.prev) : p2.prev >= 0 ? at(p1.cls, p2.prev, NC - 1) : p1.prev >= 0 ? at(p1.prev, NR - 1, NC - 1) : p0.prev >= 0 ? at(lastM, NR - 1, NC - 1) : -1;
    const next = p3.next >= 0 ? at(p1.cls, p2.cls, p3.next) : p2.next >= 0 ? at(p1.cls, p2.next, 0) : p1.next >= 0 ? at(p1.next, 0, 0) : p0.next >= 0 ? 0 : -1;
    cycles += mult * tileOf(prev, cur, next);
    compute += mult * info(cur).trips;
    bytes += mult * info(cur).bytes;
    steps += mult * S;
  }
  // Prologue (the first tile's loads) and epilogue (the last output tile's store).
  cycles += step([info(0).li[seq[0]], info(0).lw[seq[0]]]) + step([info(T - 1).st]);
  const overhead = arch.perLayerCycles + steps * (arch.computeDepth + arch.perStepCycles);
  return { cycles, computeCycles: compute, overheadCycles: overhead, memoryCycles: Math.max(0, cycles - compute - overhead), dramBytes: bytes, steps };
}

/** Element-wise passes over memory (layers not folded into a producer): one beat per trip. */
export function eltwiseSchedule(arch: EngineArch, axi: AxiParams, dramBytesPerCycle: number, e: { kind: 'add' | 'unary' | 'pixel_shuffle'; c: number; h: number; w: number; factor: number }): LayerSchedule {
  const beats = cdiv(e.c, arch.L) * e.h * e.w;
  const whole = blockTraffic({ runs: 1, beatsPerRun: beats }, arch.beatBytes, axi);
  let ws: Work;
  if (e.kind === 'pixel_shuffle') {
    // Each output beat gathers its channels from r² input beats of one pixel (channel blocks H·W apart).
    const r2 = e.factor * e.factor;
    const rd = blockTraffic({ runs: beats * r2, beatsPerRun: 1 }, arch.beatBytes, axi);
    ws = work(beats * r2, 1, { rd, wr: whole });
  } else {
    ws = work(beats, 1, { rd: whole, wr: whole, ...(e.kind === 'add' ? { aux: whole } : {}) });
  }
  const c = stepCycles([ws], arch, axi, dramBytesPerCycle, () => arch.moveDepth) + arch.perStepCycles + arch.perLayerCycles;
  const bytes = Object.values(ws.ports).reduce((s, t) => s + (t ? t.dramBytes : 0), 0);
  return { cycles: c, computeCycles: 0, overheadCycles: arch.perLayerCycles, memoryCycles: c - arch.perLayerCycles, dramBytes: bytes, steps: 1 };
}
