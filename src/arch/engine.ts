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
import { addBlockTraffic, beatCycles, type AxiParams, type Traffic } from './axi.js';

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
export const readStride = (g: EngineGeom, dim: 'y' | 'x') => (g.kind === 'conv' ? (dim === 'y' ? g.sh : g.sw) : 1);

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
  windowInto(geo, dim, dim === 'y' ? grid(geo).gy0 : grid(geo).gx0, gStart, n, win, 0);
  return { origin: win[0], span: win[1], lo: win[2], len: win[3] };
}
const win = new Float64Array(4);

/** window1's origin, span, lo and len into out[j..j+3] (g0: the grid's origin along dim), allocating nothing. */
function windowInto(geo: EngineGeom, dim: 'y' | 'x', g0: number, gStart: number, n: number, out: Float64Array, j: number): void {
  const k = dim === 'y' ? geo.kh : geo.kw;
  const s = dim === 'y' ? geo.sh : geo.sw;
  const p = dim === 'y' ? geo.pt : geo.pl;
  const extent = dim === 'y' ? geo.ih : geo.iw;
  let lo: number;
  let hi: number;
  if (geo.kind === 'conv') { lo = gStart * s - p; hi = (gStart + n - 1) * s - p + k; }
  else if (geo.kind === 'subpixel') { lo = gStart + g0 - cdiv(k, s) + 1; hi = gStart + g0 + n; }
  else if (geo.kind === 'zero-insert') { lo = gStart + p - (k - 1); hi = gStart + n + p; }
  else { lo = gStart; hi = gStart + n; }
  const ext = geo.kind === 'zero-insert' ? (extent - 1) * s + 1 : extent;
  const clo = Math.max(0, lo);
  const chi = Math.max(clo, Math.min(hi, ext));
  out[j] = lo;
  out[j + 1] = hi - lo;
  out[j + 2] = clo;
  out[j + 3] = chi - clo;
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
  const rows = bankSpan(arch, g, 'y', t.tr);
  const cols = bankSpan(arch, g, 'x', t.tc);
  return {
    rowsPerBank: rows,
    colsPerBank: cols,
    inDepth: cdiv(t.tn, arch.pif) * rows * cols,
    wDepth: weightDepth(arch, g, t.tn, t.tm),
    outDepth: cdiv(t.tm, arch.pof) * cdiv(t.tr, arch.poy) * cdiv(t.tc, arch.pox) * grid(g).opp,
  };
}

/** Input-buffer words per bank along `dim` for a tile of n grid positions: its window's span over POY (POX) banks, in whole read strides. */
export function bankSpan(arch: EngineArch, g: EngineGeom, dim: 'y' | 'x', n: number): number {
  const s = readStride(g, dim);
  return cdiv(windowSpan(g, dim, n), s * (dim === 'y' ? arch.poy : arch.pox)) * s;
}

/** window1's span from the grid's first position, allocating nothing (the search asks for it per row tile). */
export function windowSpan(g: EngineGeom, dim: 'y' | 'x', n: number): number {
  windowInto(g, dim, dim === 'y' ? grid(g).gy0 : grid(g).gx0, 0, n, win, 0);
  return win[1];
}

/** Weight-buffer words per bank for a tile of tn input and tm output channels. */
export const weightDepth = (arch: EngineArch, g: EngineGeom, tn: number, tm: number) => cdiv(tm, arch.pof) * cdiv(tn, arch.pif) * weightTaps(g);

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
const PORTS: PortName[] = ['rd', 'w', 'wr', 'aux'];

/*
 * The processes are written once, as records in a Float64Array (the search costs millions of steps: no
 * allocation on that path): trips, fills, the ports used (bit p for PORTS[p]), then beats, transactions and
 * DRAM bytes of each port; `seal` adds the process's time alone and its DRAM bytes. `Work` is the same record
 * as an object (loadInput, storeWork, ...).
 */
const TRIPS = 0;
const FILLS = 1;
const USED = 2;
const PORT0 = 3;
const ALONE = PORT0 + 3 * PORTS.length;
const DRAM = ALONE + 1;
const REC = DRAM + 1;
const RD = 0;
const WP = 1;
const WR = 2;
const AUX = 3;
/** Ports of the load/store loops (their pipelines fill in MOVE_DEPTH; a process without them is the MAC loop). */
const MOVERS = (1 << RD) | (1 << WP) | (1 << WR);

// A loop that runs no trip fills no pipeline (a zero-size tile's process only hands shake, inside the step's control cycles).
// A port's fields are cleared when the port is first used (addPort): those of ports not in USED are stale, and
// every reader asks USED first.
function setWork(R: Float64Array, o: number, trips: number, fills: number): void {
  R[o + TRIPS] = trips;
  R[o + FILLS] = trips > 0 ? fills : 0;
  R[o + USED] = 0;
  R[o + ALONE] = 0;
  R[o + DRAM] = 0;
}

/** A port's traffic: `runs` contiguous runs of `beatsPerRun` beats (added to what the port already carries in this process). */
function addPort(R: Float64Array, o: number, port: number, runs: number, beatsPerRun: number, arch: EngineArch, axi: AxiParams): void {
  const q = o + PORT0 + 3 * port;
  if (!(R[o + USED] & (1 << port))) {
    R[q] = 0;
    R[q + 1] = 0;
    R[q + 2] = 0;
  }
  R[o + USED] = (R[o + USED] as number) | (1 << port);
  addBlockTraffic(R, q, runs, beatsPerRun, arch.beatBytes, axi);
}

/** The DRAM bytes of one port of a process (0 when it does not use the port). */
const portBytes = (R: Float64Array, o: number, port: number) => (R[o + USED] & (1 << port) ? R[o + PORT0 + 3 * port + 2] : 0);

const scratch = new Float64Array(REC);
function toWork(R: Float64Array): Work {
  const ports: Work['ports'] = {};
  PORTS.forEach((name, p) => {
    ports[name] = R[USED] & (1 << p) ? { beats: R[PORT0 + 3 * p], transactions: R[PORT0 + 3 * p + 1], dramBytes: R[PORT0 + 3 * p + 2] } : undefined;
  });
  return { trips: R[TRIPS], fills: R[FILLS], ports };
}

/** Rows of a zero-inserted window that hold real input rows (multiples of s). */
const realCount = (lo: number, len: number, s: number) => (len <= 0 ? 0 : Math.floor((lo + len - 1) / s) - Math.ceil(lo / s) + 1);

/** The input tile load of `tn` channels over window rows×cols. */
function loadInputRec(R: Float64Array, o: number, arch: EngineArch, g: EngineGeom, axi: AxiParams, tn: number, moves: number, wyLo: number, wyLen: number, wxLo: number, wxLen: number): void {
  const blocks = cdiv(tn, arch.L);
  setWork(R, o, wyLen * wxLen * moves, 1);
  const zi = g.kind === 'zero-insert';
  const rows = zi ? realCount(wyLo, wyLen, g.sh) : wyLen;
  const cols = zi ? realCount(wxLo, wxLen, g.sw) : wxLen;
  const fullRows = cols === g.iw;
  if (fullRows) addPort(R, o, RD, blocks, rows * cols, arch, axi);
  else addPort(R, o, RD, blocks * rows, cols, arch, axi);
}
export function loadInput(arch: EngineArch, g: EngineGeom, axi: AxiParams, tn: number, wy: { lo: number; len: number }, wx: { lo: number; len: number }): Work {
  loadInputRec(scratch, 0, arch, g, axi, tn, moveTrips(tn, arch.L, arch.pif), wy.lo, wy.len, wx.lo, wx.len);
  return toWork(scratch);
}

/** Weight rows of a tile (POF×PIF padded to whole beats) and its bias, one beat per trip. */
function loadWeightsRec(R: Float64Array, o: number, arch: EngineArch, g: EngineGeom, axi: AxiParams, tn: number, tm: number): void {
  const rows = cdiv(tm, arch.pof) * cdiv(tn, arch.pif) * weightTaps(g);
  const perRow = cdiv(arch.pof * arch.pif * arch.wBytes, arch.beatBytes);
  const biasBeats = cdiv(tm * arch.accBytes, arch.beatBytes);
  setWork(R, o, rows * perRow + biasBeats, (rows > 0 ? 1 : 0) + (biasBeats > 0 ? 1 : 0));
  addPort(R, o, WP, 1, rows * perRow, arch, axi);
  addPort(R, o, WP, 1, biasBeats, arch, axi);
}
export function loadWeights(arch: EngineArch, g: EngineGeom, axi: AxiParams, tn: number, tm: number): Work {
  loadWeightsRec(scratch, 0, arch, g, axi, tn, tm);
  return toWork(scratch);
}

/** MAC-loop trips of one POY×POX block of grid positions: passes × taps × ⌈tm/POF⌉ × ⌈tn/PIF⌉. */
const macTripsPerBlock = (arch: EngineArch, g: EngineGeom, taps: number, tn: number, tm: number) => g.passes * taps * cdiv(tm, arch.pof) * cdiv(tn, arch.pif);

/** The flattened MAC loop of one input tile (perBlock: macTripsPerBlock of its channel tiles). */
function computeRecOf(R: Float64Array, o: number, arch: EngineArch, perBlock: number, tr: number, tc: number): void {
  setWork(R, o, perBlock * (cdiv(tr, arch.poy) * cdiv(tc, arch.pox)), 1);
}
function computeRec(R: Float64Array, o: number, arch: EngineArch, g: EngineGeom, taps: number, tn: number, tm: number, tr: number, tc: number): void {
  computeRecOf(R, o, arch, macTripsPerBlock(arch, g, taps, tn, tm), tr, tc);
}
export function computeWork(arch: EngineArch, g: EngineGeom, taps: number, tn: number, tm: number, tr: number, tc: number): Work {
  computeRec(scratch, 0, arch, g, taps, tn, tm, tr, tc);
  return toWork(scratch);
}

/** First output row/column that grid positions from gStart produce (g0: the grid's origin along dim). */
function outLo(g: EngineGeom, dim: 'y' | 'x', g0: number, gStart: number): number {
  if (g.kind !== 'subpixel') return gStart;
  return Math.max(0, (gStart + g0) * (dim === 'y' ? g.sh : g.sw) - (dim === 'y' ? g.pt : g.pl));
}

/** outRange's len (g0: the grid's origin along dim), allocating nothing. */
export function outLen(g: EngineGeom, dim: 'y' | 'x', g0: number, gStart: number, n: number): number {
  const hi = Math.min(dim === 'y' ? g.oh : g.ow, outLo(g, dim, g0, gStart + n));
  return Math.max(0, hi - outLo(g, dim, g0, gStart));
}

/** Output range [lo, lo+len) that grid positions [gStart, gStart+n) produce along one dimension. */
export function outRange(g: EngineGeom, dim: 'y' | 'x', gStart: number, n: number) {
  const g0 = dim === 'y' ? grid(g).gy0 : grid(g).gx0;
  return { lo: outLo(g, dim, g0, gStart), len: outLen(g, dim, g0, gStart, n) };
}

/** The store of one output tile: accumulator words read, beats written (and re-read for GDN / residual). */
function storeRec(R: Float64Array, o: number, arch: EngineArch, g: EngineGeom, axi: AxiParams, tm: number, perPosition: number, oyLen: number, oxLen: number): void {
  const pos = oyLen * oxLen;
  if (pos === 0) return setWork(R, o, 0, 0);
  setWork(R, o, pos * perPosition, 1);
  const r = g.shuffle;
  if (r > 1) {
    const blocks = cdiv(tm / (r * r), arch.L);
    // Runs of r beats (a destination row of a position); with one channel block and full-width rows, a row's
    // last run and the next row's first are adjacent in DRAM and make one run of 2r.
    const joins = blocks === 1 && oxLen === g.ow ? oyLen - 1 : 0;
    addPort(R, o, WR, pos * r - 2 * joins, r, arch, axi);
    addPort(R, o, WR, joins, 2 * r, arch, axi);
  } else {
    const blocks = cdiv(tm, arch.L);
    if (oxLen === g.ow) addPort(R, o, WR, blocks, pos, arch, axi);
    else addPort(R, o, WR, blocks * oyLen, oxLen, arch, axi);
  }
  // The re-read of x (GDN) or of the residual operand has the write's shape.
  if (g.storeReads) {
    R[o + USED] = (R[o + USED] as number) | (1 << AUX);
    for (let j = 0; j < 3; j++) R[o + PORT0 + 3 * AUX + j] = R[o + PORT0 + 3 * WR + j];
  }
}
export function storeWork(arch: EngineArch, g: EngineGeom, axi: AxiParams, tm: number, oy: { len: number }, ox: { len: number }): Work {
  storeRec(scratch, 0, arch, g, axi, tm, storeTripsPerPosition(arch, g, tm), oy.len, ox.len);
  return toWork(scratch);
}

/** storeWork's trips alone (the search's floors ask for them per tile), allocating nothing. */
export function storeTrips(arch: EngineArch, g: EngineGeom, tm: number, oyLen: number, oxLen: number): number {
  return oyLen * oxLen * storeTripsPerPosition(arch, g, tm);
}

/**
 * Store-loop trips per output position: with a folded shuffle, every channel of the position read (⌈tm/POF⌉
 * words) and then r² destination pixels × channel blocks written; else a beat's channels at a time, POF per word.
 */
function storeTripsPerPosition(arch: EngineArch, g: EngineGeom, tm: number): number {
  const r = g.shuffle;
  if (r > 1) return cdiv(tm, arch.pof) + r * r * cdiv(tm / (r * r), arch.L);
  let words = 0;
  for (let c = 0; c < tm; c += arch.L) words += wordsTouched(c, Math.min(arch.L, tm - c), arch.pof);
  return words;
}

/** One port's cycles in a step: a beat per `per` cycles or the round trips its transactions need, plus one exposed round trip. */
const portTime = (b: number, t: number, per: number, axi: AxiParams) => (b <= 0 ? 0 : Math.max(b * per, Math.ceil((t * axi.latencyCycles) / axi.outstanding)) + axi.latencyCycles);

/** A process's time with its ports to itself (trips and fills, each port's time) and its DRAM bytes, into the record. */
function seal(R: Float64Array, o: number, arch: EngineArch, axi: AxiParams, per = beatCycles(arch.beatBytes * 8, axi)): void {
  let alone = R[o + TRIPS] + R[o + FILLS] * (R[o + USED] & MOVERS ? arch.moveDepth : arch.computeDepth);
  let dram = 0;
  const used = R[o + USED];
  for (let p = 0; p < PORTS.length; p++) {
    if (!(used & (1 << p))) continue;
    const q = o + PORT0 + 3 * p;
    alone = Math.max(alone, portTime(R[q], R[q + 1], per, axi));
    dram += R[q + 2];
  }
  R[o + ALONE] = alone;
  R[o + DRAM] = dram;
}

/**
 * A step of the schedule: the sealed processes at offsets a, b, c, d of R (−1: none) run together, each taking
 * its trips plus its fills; a port carries the sum of their traffic on it; the DRAM serves all of it.
 */
function stepRec(R: Float64Array, a: number, b: number, c: number, d: number, arch: EngineArch, axi: AxiParams, dramBytesPerCycle: number): number {
  let used = 0;
  let shared = 0;
  let worst = 0;
  let dram = 0;
  if (a >= 0) {
    used = R[a + USED];
    worst = R[a + ALONE];
    dram = R[a + DRAM];
  }
  if (b >= 0) {
    shared |= used & R[b + USED];
    used |= R[b + USED];
    worst = Math.max(worst, R[b + ALONE]);
    dram += R[b + DRAM];
  }
  if (c >= 0) {
    shared |= used & R[c + USED];
    used |= R[c + USED];
    worst = Math.max(worst, R[c + ALONE]);
    dram += R[c + DRAM];
  }
  if (d >= 0) {
    shared |= used & R[d + USED];
    worst = Math.max(worst, R[d + ALONE]);
    dram += R[d + DRAM];
  }
  // Processes on ports of their own (the template's: one process per port) each take their time alone.
  if (shared) {
    const per = beatCycles(arch.beatBytes * 8, axi);
    for (let p = 0; p < PORTS.length; p++) {
      let beats = 0;
      let tx = 0;
      for (const o of [a, b, c, d]) if (o >= 0 && R[o + USED] & (1 << p)) { beats += R[o + PORT0 + 3 * p]; tx += R[o + PORT0 + 3 * p + 1]; }
      worst = Math.max(worst, portTime(beats, tx, per, axi));
    }
  }
  return Math.max(worst, dram / dramBytesPerCycle);
}

/** Tiles along one dimension in classes of equal shape: first, interior, last (count, start of a representative, size). */
export function tileClasses(extent: number, t: number): { count: number; start: number; n: number }[] {
  const q = new Float64Array(9);
  const out: { count: number; start: number; n: number }[] = [];
  for (let j = 0, n = tileClassesInto(extent, t, q); j < n; j++) out.push({ count: q[3 * j], start: q[3 * j + 1], n: q[3 * j + 2] });
  return out;
}

/**
 * Whether tileClasses' three classes describe every tile along `dim` exactly: the interior class stands for
 * tiles 1 … nt-2 costed as tile 1, which holds while padding clips the input window of none of them (it
 * clips tile 0 and tile nt-1 at most). A tile narrower than the padding's reach (a 5×5 conv with padding 2
 * and one-column tiles) clips tile 1 too: layerSchedule would miscount its DRAM traffic, so the search
 * does not offer such tiles.
 */
export function tileClassesExact(g: EngineGeom, dim: 'y' | 'x', extent: number, t: number): boolean {
  const nt = cdiv(extent, t);
  if (nt <= 3) return true;
  const clip = (start: number) => {
    const w = window1(g, dim, start, t);
    return { clipped: w.lo !== w.origin || w.len !== w.span, out: outRange(g, dim, start, t).len };
  };
  const a = clip(t);
  const b = clip((nt - 2) * t);
  return !a.clipped && !b.clipped && a.out === b.out;
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
  /** Set when the layer was not scheduled because a floor under its cycles (`cycles`) already reaches the cap asked for. */
  floor?: true;
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
  const q = new Int32Array(12 * counts.length);
  const n = placesOf(Float64Array.from(counts), 1, counts.length, q);
  const out: SeqPos[] = [];
  for (let j = 0; j < n; j += 4) out.push({ prev: q[j], cls: q[j + 1], next: q[j + 2], count: q[j + 3] });
  return out;
}

/** seqPositions of the runs counts[0], counts[stride], … (n of them) into out as (prev, cls, next, count) quads; returns the length used. */
function placesOf(counts: Float64Array, stride: number, n: number, out: Int32Array): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const c = counts[stride * j];
    const before = j > 0 ? j - 1 : -1;
    const after = j < n - 1 ? j + 1 : -1;
    if (c === 1) {
      k = place(out, k, before, j, after, 1);
      continue;
    }
    k = place(out, k, before, j, j, 1);
    if (c > 2) k = place(out, k, j, j, j, c - 2);
    k = place(out, k, j, j, after, 1);
  }
  return k;
}

/** One (previous, own, next class, count) quad into out at k (a function of its own, not a closure: the walk allocates nothing); returns the next k. */
function place(out: Int32Array, k: number, prev: number, cls: number, next: number, count: number): number {
  out[k] = prev;
  out[k + 1] = cls;
  out[k + 2] = next;
  out[k + 3] = count;
  return k + 4;
}

/**
 * Cycles of one layer under the engine's schedule (see the header), step for step as run_layer issues them:
 * step k computes input tile k, loads input tile k+1 (the next output tile's first when k is its output tile's
 * last) and, on an output tile's first input tile, stores the previous output tile; a prologue loads the first
 * tile and an epilogue stores the last. A step's cost depends on the shapes of the tiles it touches, so each
 * output tile is costed with its own, its predecessor's and its successor's shape classes (first, interior,
 * last along rows and columns; full and remainder along channels); places in the tile order with the same
 * three classes are costed once. With a `cap`, a layer whose floor (each step at least its compute, its loads,
 * its store or its DRAM time alone) already reaches it is not walked: the answer is that floor, marked.
 */
export function layerSchedule(arch: EngineArch, g: EngineGeom, axi: AxiParams, dramBytesPerCycle: number, t: { tn: number; tm: number; tr: number; tc: number }, cap = Infinity): LayerSchedule {
  return layerScheduler(arch, g, axi, dramBytesPerCycle, t.tn, t.tm)(t.tr, t.tc, cap);
}

/**
 * layerSchedule for the tiles of one channel tiling (tn, tm): what does not depend on the row and column
 * tiles (channel classes, weight loads) is worked out once, for a search that asks about many.
 */
export type LayerScheduler = ((tr: number, tc: number, cap?: number) => LayerSchedule) & {
  /** The same walk for a search: the cycles, or a floor that reaches `cap` negated; it allocates nothing. */
  cycles: (tr: number, tc: number, cap: number) => number;
};

export function layerScheduler(arch: EngineArch, g: EngineGeom, axi: AxiParams, dramBytesPerCycle: number, tn: number, tm: number): LayerScheduler {
  const gr = grid(g);
  const taps = tapCount(g);
  const per = beatCycles(arch.beatBytes * 8, axi);
  const ms = channelClasses(g.M, tm);
  const ns = channelClasses(g.N, tn);
  // Input tiles of an output tile in order, by size class (0: full, 1: remainder): `full` of class 0, then the rest.
  const full = ns[0].count;
  const S = full + (ns.length - 1);
  const seqAt = (i: number) => (i < full ? 0 : 1);
  // Typed arrays throughout: one element kind whatever the numbers' representation, so the optimised walk is
  // not thrown away when a layer brings a count the last one did not (its recompiles cost more than its calls).
  const nOf = Float64Array.of(ns[0].n, ns[ns.length - 1].n);
  const NI = ns.length;
  const NM = ms.length;
  // What the row and column tiles do not change, per channel size class: a pixel's load trips, a position's
  // store trips, the MAC trips of a POY×POX block of grid positions.
  const moves = nOf.map((n) => moveTrips(n, arch.L, arch.pif));
  const mN = Float64Array.from(ms, (m) => m.n);
  const mCount = Float64Array.from(ms, (m) => m.count);
  const storePer = mN.map((n) => storeTripsPerPosition(arch, g, n));
  // Per output size class m and input size class i, at m·NI + i.
  const macs = new Float64Array(NM * NI);
  for (let m = 0; m < NM; m++) for (let i = 0; i < NI; i++) macs[m * NI + i] = macTripsPerBlock(arch, g, taps, nOf[i], mN[m]);
  // Records (offsets into R): the weight loads per (m, i), which the row and column tiles do not change; then,
  // per call, the input loads per (r, c, i) and, per output-tile class k = (m·NR + r)·NC + c (at most 3 row
  // and 3 column classes), its store and its compute per input size class i.
  const oW = 0;
  const oIn = oW + NM * NI * REC;
  const oStore = oIn + 9 * NI * REC;
  const oComp = oStore + NM * 9 * REC;
  // The scratch is shared by every scheduler (the search makes one per layer and channel tiling: no allocation);
  // a scheduler called after another rewrites what it keeps there.
  const { R, trips, bytesOf, tilesOf, mids, rows, cols, wins, outs, P0, P1, P2, P3, firsts, lasts, firstAt, lastAt } = pool;
  const groupRuns = Float64Array.of(g.groups);
  let n0 = 0;
  let n1 = 0;
  const own = () => {
    owner = walk;
    // Places in the kernel's order (groups → m → rows → columns) as (previous, own, next class, count) quads.
    n0 = placesOf(groupRuns, 1, 1, P0);
    n1 = placesOf(mCount, 1, NM, P1);
    for (let m = 0; m < NM; m++) {
      for (let i = 0; i < NI; i++) {
        loadWeightsRec(R, oW + (m * NI + i) * REC, arch, g, axi, nOf[i], ms[m].n);
        seal(R, oW + (m * NI + i) * REC, arch, axi, per);
      }
    }
  };
  // The row and column classes of the tile asked about (first, interior, last: count, start, size).
  let NR = 0;
  let NC = 0;
  let NRC = 0;
  // Which call the memos firsts and lasts were written for.
  let call = 0;
  const comp = (k: number, i: number) => oComp + (k * NI + i) * REC;
  const store = (k: number) => oStore + k * REC;
  const load = (k: number, i: number) => oIn + ((k % NRC) * NI + i) * REC;
  const weights = (k: number, i: number) => oW + (((k / NRC) | 0) * NI + i) * REC;
  // One step: compute (class cur, size ni), the loads of (class ld, size li) unless ld < 0, the store of class so unless so < 0.
  const stepOf = (cur: number, ni: number, ld: number, li: number, so: number) =>
    stepRec(R, comp(cur, ni), ld >= 0 ? load(ld, li) : -1, ld >= 0 ? weights(ld, li) : -1, so >= 0 ? store(so) : -1, arch, axi, dramBytesPerCycle) + arch.perStepCycles;
  // The steps between an output tile's first and last, which touch no other output tile (summed in order):
  // the full input tile's step repeated, the last one loading the remainder.
  const midOf = (cur: number) => {
    if (mids[cur] < 0) {
      let c0 = 0;
      let same = -1;
      for (let i = 1; i < S - 1; i++) {
        if (i + 1 < full) c0 += same < 0 ? (same = stepOf(cur, 0, cur, 0, -1)) : same;
        else c0 += stepOf(cur, 0, cur, 1, -1);
      }
      mids[cur] = c0;
    }
    return mids[cur];
  };
  // An output tile's first step (storing the previous tile, class prev) and last (loading the next, class
  // next), kept per (class, neighbour) in firsts and lasts: the places of a layer share them.
  const seq1 = seqAt(1);
  const seqLast = seqAt(S - 1);
  let T1 = 0;
  const tileOf = (prev: number, cur: number, next: number) => {
    if (S === 1) return stepOf(cur, 0, next, 0, prev);
    const f = cur * T1 + prev + 1;
    const l = cur * T1 + next + 1;
    if (firstAt[f] !== call) {
      firstAt[f] = call;
      firsts[f] = stepOf(cur, 0, cur, seq1, prev);
    }
    if (lastAt[l] !== call) {
      lastAt[l] = call;
      lasts[l] = stepOf(cur, seqLast, next, 0, -1);
    }
    return firsts[f] + midOf(cur) + lasts[l];
  };

  // What the walk found besides its cycles, for the LayerSchedule.
  let floored = false;
  let sCompute = 0;
  let sBytes = 0;
  let sSteps = 0;
  let n2 = 0;
  let n3 = 0;
  // The floor of a layer of n steps whose processes' times alone sum to `most`, less a relative margin far above
  // rounding (it is summed in another order than the schedule), so that it stays a floor.
  const floorBelow = (most: number, n: number) => (arch.perLayerCycles + (n + 2) * arch.perStepCycles + most) * (1 - 1e-9);
  const walk = (tr: number, tc: number, cap: number): number => {
    if (owner !== walk) own();
    call = ++pool.calls;
    NR = tileClassesInto(gr.gr, tr, rows);
    NC = tileClassesInto(gr.gc, tc, cols);
    NRC = NR * NC;
    const T = NM * NRC;
    T1 = T + 1;
    // Per column class its input window (lo, len) and output columns; per row class the same.
    for (let c = 0; c < NC; c++) {
      windowInto(g, 'x', gr.gx0, cols[3 * c + 1], cols[3 * c + 2], wins, 4 * c);
      outs[c] = outLen(g, 'x', gr.gx0, cols[3 * c + 1], cols[3 * c + 2]);
    }
    for (let r = 0; r < NR; r++) {
      windowInto(g, 'y', gr.gy0, rows[3 * r + 1], rows[3 * r + 2], wins, 12);
      outs[3 + r] = outLen(g, 'y', gr.gy0, rows[3 * r + 1], rows[3 * r + 2]);
      for (let c = 0; c < NC; c++) {
        for (let i = 0; i < NI; i++) {
          const o = oIn + ((r * NC + c) * NI + i) * REC;
          loadInputRec(R, o, arch, g, axi, nOf[i], moves[i], wins[14], wins[15], wins[4 * c + 2], wins[4 * c + 3]);
          seal(R, o, arch, axi, per);
        }
      }
    }
    // Every step lasts at least its compute alone, its loads alone, its store alone, or its DRAM time (the
    // prologue and epilogue too): the largest of these sums over the layer is a floor under its cycles. The
    // loads' sum alone reaches the cap in most walks that end on a floor, so it is asked before the store and
    // compute records are built (without a cap, `floor` stays 0).
    let fl = 0;
    let n = 0;
    let floor = 0;
    if (cap < Infinity) {
      for (let k = 0; k < T; k++) {
        const m = (k / NRC) | 0;
        const tiles = g.groups * mCount[m] * rows[3 * (((k / NC) | 0) % NR)] * cols[3 * (k % NC)];
        tilesOf[k] = tiles;
        for (let i = 0; i < NI; i++) fl += tiles * (i === 0 ? full : 1) * Math.max(R[oIn + ((k % NRC) * NI + i) * REC + ALONE], R[oW + (m * NI + i) * REC + ALONE]);
        n += tiles * S;
      }
      floor = floorBelow(fl, n);
    }
    if (floor < cap) {
      for (let k = 0; k < T; k++) {
        const m = (k / NRC) | 0;
        const r = ((k / NC) | 0) % NR;
        const c = k % NC;
        const so = oStore + k * REC;
        storeRec(R, so, arch, g, axi, mN[m], storePer[m], outs[3 + r], outs[c]);
        seal(R, so, arch, axi, per);
        let tk = 0;
        let bk = 0;
        mids[k] = -1;
        for (let i = 0; i < NI; i++) {
          const o = oComp + (k * NI + i) * REC;
          computeRecOf(R, o, arch, macs[m * NI + i], rows[3 * r + 2], cols[3 * c + 2]);
          seal(R, o, arch, axi, per);
          const runs = i === 0 ? full : 1;
          tk += runs * R[o + TRIPS];
          bk += runs * (R[oIn + ((k % NRC) * NI + i) * REC + DRAM] + R[oW + (m * NI + i) * REC + DRAM]);
        }
        trips[k] = tk;
        // The sealed records' DRAM bytes (integers: exact in any order).
        bytesOf[k] = bk + R[so + DRAM];
      }
      if (cap < Infinity) {
        let fc = 0, fs = 0, fd = 0;
        for (let k = 0; k < T; k++) {
          const tiles = tilesOf[k];
          for (let i = 0; i < NI; i++) fc += tiles * (i === 0 ? full : 1) * R[oComp + (k * NI + i) * REC + ALONE];
          fs += tiles * R[oStore + k * REC + ALONE];
          fd += tiles * bytesOf[k];
        }
        floor = floorBelow(Math.max(fc, fl, fs, fd / dramBytesPerCycle), n);
      }
    }
    if (floor >= cap) {
      floored = true;
      sSteps = n;
      return floor;
    }
    let cycles = arch.perLayerCycles;
    // Output tiles in kernel order: a neighbour across an outer boundary is the outer neighbour's last (or
    // first) class along every inner dimension.
    n2 = placesOf(rows, 3, NR, P2);
    n3 = placesOf(cols, 3, NC, P3);
    for (let a = 0; a < n0; a += 4) for (let b = 0; b < n1; b += 4) for (let c2 = 0; c2 < n2; c2 += 4) for (let c3 = 0; c3 < n3; c3 += 4) {
      const mult = P0[a + 3] * P1[b + 3] * P2[c2 + 3] * P3[c3 + 3];
      const m = P1[b + 1];
      const r = P2[c2 + 1];
      const row = (m * NR + r) * NC;
      const cur = row + P3[c3 + 1];
      const prev = P3[c3] >= 0 ? row + P3[c3] : P2[c2] >= 0 ? (m * NR + P2[c2]) * NC + NC - 1 : P1[b] >= 0 ? (P1[b] + 1) * NRC - 1 : P0[a] >= 0 ? T - 1 : -1;
      const next = P3[c3 + 2] >= 0 ? row + P3[c3 + 2] : P2[c2 + 2] >= 0 ? (m * NR + P2[c2 + 2]) * NC : P1[b + 2] >= 0 ? P1[b + 2] * NRC : P0[a + 2] >= 0 ? 0 : -1;
      cycles += mult * tileOf(prev, cur, next);
    }
    // Prologue (the first tile's loads) and epilogue (the last output tile's store).
    const prologue = stepRec(R, -1, load(0, 0), weights(0, 0), -1, arch, axi, dramBytesPerCycle) + arch.perStepCycles;
    const epilogue = stepRec(R, -1, -1, -1, store(T - 1), arch, axi, dramBytesPerCycle) + arch.perStepCycles;
    cycles += prologue + epilogue;
    floored = false;
    return cycles;
  };
  // What a LayerSchedule reports besides the cycles, over the places of the last walk in its order (a loop of
  // its own: the search's walk neither runs nor compiles it).
  const totals = () => {
    let compute = 0;
    let bytes = 0;
    let steps = 0;
    for (let a = 0; a < n0; a += 4) for (let b = 0; b < n1; b += 4) for (let c2 = 0; c2 < n2; c2 += 4) for (let c3 = 0; c3 < n3; c3 += 4) {
      const mult = P0[a + 3] * P1[b + 3] * P2[c2 + 3] * P3[c3 + 3];
      const cur = (P1[b + 1] * NR + P2[c2 + 1]) * NC + P3[c3 + 1];
      compute += mult * trips[cur];
      bytes += mult * bytesOf[cur];
      steps += mult * S;
    }
    sCompute = compute;
    sBytes = bytes;
    sSteps = steps;
  };
  const sched = (tr: number, tc: number, cap = Infinity): LayerSchedule => {
    const cycles = walk(tr, tc, cap);
    if (!floored) totals();
    if (floored) return { cycles, computeCycles: NaN, overheadCycles: NaN, memoryCycles: NaN, dramBytes: NaN, steps: sSteps, floor: true };
    const overhead = arch.perLayerCycles + sSteps * (arch.computeDepth + arch.perStepCycles);
    return { cycles, computeCycles: sCompute, overheadCycles: overhead, memoryCycles: Math.max(0, cycles - sCompute - overhead), dramBytes: sBytes, steps: sSteps };
  };
  sched.cycles = (tr: number, tc: number, cap: number) => {
    const c = walk(tr, tc, cap);
    return floored ? -c : c;
  };
  return sched;
}

/**
 * The prologue and epilogue of a layer's schedule for the row and column tiles (tr, tc) (≤ the grid's) of one
 * channel tiling: the first tile's loads and the last output tile's store, each a step of its own, built from the
 * walk's own records and summed as the walk sums them. The compute steps lie between them, so a floor of the
 * compute steps plus these is a floor of the layer (the search's tightest: most tiles it costs are within a
 * percent of the best, and these two steps are most of that percent).
 */
export function scheduleEnds(arch: EngineArch, g: EngineGeom, axi: AxiParams, dramBytesPerCycle: number, tn: number, tm: number): (tr: number, tc: number) => number {
  const gr = grid(g);
  const per = beatCycles(arch.beatBytes * 8, axi);
  const ms = channelClasses(g.M, tm);
  const ns = channelClasses(g.N, tn);
  const lastM = ms[ms.length - 1].n;
  const storePer = storeTripsPerPosition(arch, g, lastM);
  const moves = moveTrips(ns[0].n, arch.L, arch.pif);
  // Records: the first tile's input load, its weights (the walk's weights(0, 0): both channel classes' first), the last tile's store.
  const E = new Float64Array(3 * REC);
  const w = new Float64Array(8);
  loadWeightsRec(E, REC, arch, g, axi, ns[0].n, ms[0].n);
  seal(E, REC, arch, axi, per);
  return (tr, tc) => {
    windowInto(g, 'y', gr.gy0, 0, tr, w, 0);
    windowInto(g, 'x', gr.gx0, 0, tc, w, 4);
    loadInputRec(E, 0, arch, g, axi, ns[0].n, moves, w[2], w[3], w[6], w[7]);
    seal(E, 0, arch, axi, per);
    // The last tile along each dimension starts at (⌈extent/t⌉ − 1)·t (tileClassesInto's last class).
    const ry = (Math.ceil(gr.gr / tr) - 1) * tr;
    const rx = (Math.ceil(gr.gc / tc) - 1) * tc;
    storeRec(E, 2 * REC, arch, g, axi, lastM, storePer, outLen(g, 'y', gr.gy0, ry, gr.gr - ry), outLen(g, 'x', gr.gx0, rx, gr.gc - rx));
    seal(E, 2 * REC, arch, axi, per);
    const prologue = stepRec(E, -1, 0, REC, -1, arch, axi, dramBytesPerCycle) + arch.perStepCycles;
    const epilogue = stepRec(E, -1, -1, -1, 2 * REC, arch, axi, dramBytesPerCycle) + arch.perStepCycles;
    return prologue + epilogue;
  };
}

/** tileClasses into out (count, start, size per class); returns how many. */
function tileClassesInto(extent: number, t: number, out: Float64Array): number {
  const nt = cdiv(extent, t);
  if (nt === 1) {
    out[0] = 1;
    out[1] = 0;
    out[2] = extent;
    return 1;
  }
  let j = 0;
  out[j++] = 1;
  out[j++] = 0;
  out[j++] = t;
  if (nt > 2) {
    out[j++] = nt - 2;
    out[j++] = t;
    out[j++] = t;
  }
  out[j++] = 1;
  out[j++] = (nt - 1) * t;
  out[j++] = extent - (nt - 1) * t;
  return j / 3;
}

// The schedulers' shared scratch, sized for 2 channel × 3 row × 3 column classes and 2 input sizes, and its user.
const pool = {
  R: new Float64Array((2 * 2 + 9 * 2 + 2 * 9 + 2 * 9 * 2) * REC),
  trips: new Float64Array(18),
  bytesOf: new Float64Array(18),
  // Output tiles per output-tile class (the floors' weights, kept from the loads' floor for the others).
  tilesOf: new Float64Array(18),
  mids: new Float64Array(18),
  rows: new Float64Array(9),
  cols: new Float64Array(9),
  // Input windows (lo, len at +2, +3) of the column classes and of the row class at hand; output lengths of the column and row classes.
  wins: new Float64Array(16),
  outs: new Float64Array(6),
  P0: new Int32Array(36),
  P1: new Int32Array(36),
  P2: new Int32Array(36),
  P3: new Int32Array(36),
  firsts: new Float64Array(18 * 19),
  lasts: new Float64Array(18 * 19),
  firstAt: new Float64Array(18 * 19),
  lastAt: new Float64Array(18 * 19),
  calls: 0,
};
// The walk that last wrote the scratch. Holding it also keeps the walk's optimised code: V8 keeps a closure's
// compiled code only while a closure of that site lives, and the schedulers die with each search, so without
// it a sweep worker compiled the walk again after most full GCs (16 compiles in the demo against 10).
let owner: object | undefined;

/** Element-wise passes over memory (layers not folded into a producer): one beat per trip. */
export function eltwiseSchedule(arch: EngineArch, axi: AxiParams, dramBytesPerCycle: number, e: { kind: 'add' | 'unary' | 'pixel_shuffle'; c: number; h: number; w: number; factor: number }): LayerSchedule {
  const beats = cdiv(e.c, arch.L) * e.h * e.w;
  const R = new Float64Array(REC);
  // The pass fills its load/store pipeline once.
  if (e.kind === 'pixel_shuffle') {
    // Each output beat gathers its channels from r² input beats of one pixel (channel blocks H·W apart).
    const r2 = e.factor * e.factor;
    setWork(R, 0, beats * r2, 1);
    addPort(R, 0, RD, beats * r2, 1, arch, axi);
    addPort(R, 0, WR, 1, beats, arch, axi);
  } else {
    setWork(R, 0, beats, 1);
    addPort(R, 0, RD, 1, beats, arch, axi);
    addPort(R, 0, WR, 1, beats, arch, axi);
    if (e.kind === 'add') addPort(R, 0, AUX, 1, beats, arch, axi);
  }
  R[FILLS] = 1;
  seal(R, 0, arch, axi);
  const c = stepRec(R, 0, -1, -1, -1, arch, axi, dramBytesPerCycle) + arch.perStepCycles + arch.perLayerCycles;
  const bytes = portBytes(R, 0, RD) + portBytes(R, 0, WP) + portBytes(R, 0, WR) + portBytes(R, 0, AUX);
  return { cycles: c, computeCycles: 0, overheadCycles: arch.perLayerCycles, memoryCycles: c - arch.perLayerCycles, dramBytes: bytes, steps: 1 };
}
