/**
 * The pipeline template's microarchitecture, as far as the stream timing of its stages goes (pure).
 *
 * Stages are row-granular (hls-templates/pipeline/lic_stages.h, FINN's sliding-window unit): a stage reads input
 * rows into its line buffer until the window of its next output row is complete, then produces that whole
 * output row while it reads the rows of the row after. A window-attention stage (Swin / Zou 2022, masked shifted windows) needs the band of `window`
 * rows its windows span before the first row of that band can leave: the cyclic shift with its mask is a
 * window grid offset by the shift with partial windows at the borders, so no band depends on a later one.
 *
 * A join of two branches (residual add, gating multiply) must hold the earlier operand for as long as the
 * later one lags: the lead of each tensor is the largest lead over its inputs plus its own stage's lead
 * (branches run side by side, so parallel branches take the maximum, not the sum).
 */

/**
 * Word width of a buffer read at most one word per cycle by a narrow stage (join FIFOs, attention band buffers):
 * channels packed 8 int8 to a 64-bit word, under a URAM's 72 bits and two BRAM18s' 2×36. A word as narrow as one
 * MAC lane (8 bits) would leave 7/8 of every URAM (fixed 4K deep) empty.
 */
export const PACKED_WORD_BITS = 64;

/** A packed buffer of `bits` bits read `readBits` bits per cycle: its word width and depth. */
export function packedWord(bits: number, readBits: number): { width: number; depth: number } {
  const width = Math.max(readBits, Math.min(PACKED_WORD_BITS, bits));
  return { width, depth: Math.ceil(bits / width) };
}

export interface StreamNode {
  op: string;
  /** Tensor names read, in the same scope (part instance); '@input' is the scope's input. */
  inputs: string[];
  inH: number;
  outH?: number;
  kernel?: [number, number];
  stride?: [number, number];
  padding?: [number, number] | 'same';
  /** Window attention: the window edge (matmul qk). */
  window?: number;
  form?: 'qk' | 'av';
}

const MAC_STAGE = new Set(['conv', 'masked_conv', 'deconv', 'gdn', 'igdn', 'gdn_simplified', 'igdn_simplified', 'linear', 'matmul']);

/** Input rows a stage reads before it emits its first output row (its lead), in rows of its own input. */
export function stageLeadRows(n: StreamNode): number {
  // A pixel shuffle's first output rows are its first input row, which must be complete (raster order).
  if (n.op === 'pixel_shuffle') return 1;
  if (!MAC_STAGE.has(n.op)) return 0;
  // Window attention's tokens arrive in raster order, but a window's scores need all its keys: a band enters
  // window order once its last row is in (qk, `window` rows), and its windows come out one after another, so a
  // raster row of the band leaves only once the band's last window is done (av: up to `window` rows more, as a
  // stage balanced to the frame takes up to a band's time for a band). Each reorder holds one band of `dim`
  // channels (cost/pipeline.ts), not the map.
  if (n.op === 'matmul') return n.window ? n.window : 1;
  const [kh] = n.kernel ?? [1, 1];
  const [sh] = n.stride ?? [1, 1];
  if (n.op === 'deconv') {
    // Output row o needs input row ⌊(o + P)/S⌋: the padding ahead, in input rows, plus the row in production.
    // "same" is TensorFlow's P = ⌊max(K − S, 0)/2⌋.
    const p = n.padding === 'same' ? Math.floor(Math.max(kh - sh, 0) / 2) : (n.padding?.[0] ?? Math.floor((kh - 1) / 2));
    // Plus the row the sliding-window unit reads for the next output row while it emits this one.
    return Math.floor(p / sh) + 2;
  }
  // "same" pads ⌊max((out − 1)·S + K − in, 0)/2⌋ on top (TensorFlow; 1, not 2, for 5×5/2 on an even map).
  const p = n.padding === 'same'
    ? Math.floor(Math.max(((n.outH ?? Math.ceil(n.inH / sh)) - 1) * sh + kh - n.inH, 0) / 2)
    : (n.padding?.[0] ?? Math.floor((kh - 1) / 2));
  // Output row 0's window ends at input row K − 1 − P; the row in production is one more, and the sliding-window
  // unit reads the next output row's S rows while it emits this one (a 1×1 stride-1 stage has no such unit).
  const prefetch = kh > 1 || sh > 1 ? sh : 0;
  return Math.max(0, kh - 1 - p) + 1 + prefetch;
}

/** Each tensor's lead over its scope's input, as a fraction of the frame height (resolution-free). */
export function streamLeads(nodes: Map<string, StreamNode>): Map<string, number> {
  const lead = new Map<string, number>([['@input', 0]]);
  const of = (name: string): number => {
    const known = lead.get(name);
    if (known !== undefined) return known;
    const n = nodes.get(name);
    if (!n) return 0;
    lead.set(name, 0);
    const v = Math.max(0, ...n.inputs.map(of)) + stageLeadRows(n) / Math.max(1, n.inH);
    lead.set(name, v);
    return v;
  };
  for (const k of nodes.keys()) of(k);
  return lead;
}

/** Rows (at the join's height) the earlier operand of a join waits in its buffer, and which operand that is. */
export function joinRows(leads: Map<string, number>, inputs: string[], height: number): { rows: number; held: string } {
  const ls = inputs.map((i) => leads.get(i) ?? 0);
  const lo = ls.indexOf(Math.min(...ls));
  const gap = Math.max(...ls) - ls[lo];
  // Plus one row: the lagging branch produces its row while the held one is already complete.
  return { rows: Math.ceil(gap * height - 1e-9) + 1, held: inputs[lo] };
}

/**
 * One MAC stage of the pipeline as hls-templates/pipeline/lic_stages.h builds it (FINN's SWU + MVAU split):
 * the single description from which the emitter orders its weights and the cost model takes its cycles and
 * memories. `kind` 'subpixel' loops over the taps of each output pixel's phase only.
 */
export interface StageGeom {
  kind: 'conv' | 'subpixel' | 'zero-insert' | 'gdn';
  cin: number;
  cout: number;
  ih: number;
  iw: number;
  oh: number;
  ow: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
}

export interface StagePar {
  pin: number;
  pout: number;
  pk: number;
  stream: boolean;
  reuse: number;
}

/** A phase of output pixels (sub-pixel: (oy+P) mod S; otherwise one) and the kernel taps it uses, in slot order. */
export interface StagePhase {
  py: number;
  px: number;
  taps: [number, number][];
  groups: number;
}

const cdivA = (a: number, b: number) => Math.ceil(a / b);
const phaseTaps1 = (g: StageGeom, k: number, s: number, p: number) => (g.kind === 'subpixel' ? cdivA(k - p, s) : k);

/** The phases in row-major order (the weights' order), each with ⌈taps/PK⌉ groups of PK tap slots. */
export function stagePhases(g: StageGeom, pk: number): StagePhase[] {
  if (g.kind === 'gdn') return [{ py: 0, px: 0, taps: [[0, 0]], groups: 1 }];
  const sp = g.kind === 'subpixel';
  const out: StagePhase[] = [];
  for (let py = 0; py < (sp ? g.sh : 1); py++) {
    for (let px = 0; px < (sp ? g.sw : 1); px++) {
      const ty = phaseTaps1(g, g.kh, g.sh, py);
      const tx = phaseTaps1(g, g.kw, g.sw, px);
      const taps: [number, number][] = [];
      for (let t = 0; t < ty * tx; t++) {
        const a = Math.floor(t / tx);
        const b = t % tx;
        taps.push(sp ? [py + g.sh * a, px + g.sw * b] : [a, b]);
      }
      out.push({ py, px, taps, groups: cdivA(taps.length, pk) });
    }
  }
  return out;
}

/**
 * Tap groups of each phase, [py][px] (sub-pixel: S×S phases; otherwise one): the `groups` of stagePhases without
 * listing the taps (test/arch/pipeline-phases.test.ts checks they agree on every zoo stage).
 */
export function phaseGroups(g: StageGeom, pk: number): number[][] {
  if (g.kind === 'gdn') return [[1]];
  const sp = g.kind === 'subpixel';
  const out: number[][] = [];
  for (let py = 0; py < (sp ? g.sh : 1); py++) {
    const row: number[] = [];
    for (let px = 0; px < (sp ? g.sw : 1); px++) row.push(cdivA(phaseTaps1(g, g.kh, g.sh, py) * phaseTaps1(g, g.kw, g.sw, px), pk));
    out.push(row);
  }
  return out;
}

/** Output pixels of phase p along a dimension of `n` outputs (sub-pixel: those with (o + P) mod S = p). */
function phaseCount(g: StageGeom, n: number, s: number, pad: number, p: number): number {
  if (g.kind !== 'subpixel') return n;
  const r = (((p - pad) % s) + s) % s;
  return r < n ? Math.floor((n - 1 - r) / s) + 1 : 0;
}

/** No sliding-window unit: GDN and a 1×1 stride-1 unpadded convolution read their input words directly. */
export const directInput = (g: StageGeom) => g.kind === 'gdn' || (g.kind === 'conv' && g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0);

/** Line-buffer rows: the window of one output row plus the rows read for the next one meanwhile. */
export function lineBufferRows(g: StageGeom): number {
  if (directInput(g)) return 0;
  return g.kind === 'conv' ? g.kh + g.sh : cdivA(g.kh, g.sh) + 1;
}

/**
 * Words (PIN channels each) of the FIFO in front of a sliding-window unit: one input row. The unit reads the rows
 * of its next output row during the current one, so its input arrives in row-sized turns (a stride-S deconv reads
 * one input row every S output rows): with Vitis' default depth of 2 the producer upstream waits out every pause
 * and the stages run nearly one after another (make perf's dataflow replay measured 1.6-2.1x the slowest stage on
 * bmshj2018-hyperprior g_s at 64x64). A row of slack lets the producer keep its own pace. 0: no such unit.
 */
export function inputFifoWords(g: StageGeom, pin: number): number {
  return directInput(g) ? 0 : g.iw * cdivA(g.cin, pin);
}

/** Last input row output row o reads (clamped to the input). */
function lastRow(g: StageGeom, o: number): number {
  const r = g.kind === 'conv' ? o * g.sh - g.pt + g.kh - 1 : Math.floor((o + g.pt) / g.sh);
  return Math.min(r, g.ih - 1);
}

/** A memory the stage declares: `count` banks of `width` bits × `depth` words. */
export interface StageBuffer {
  name: 'weights' | 'weights_dbuf' | 'out_pingpong' | 'window' | 'line' | 'in_fifo';
  count: number;
  width: number;
  depth: number;
}

export interface StageArch {
  nb: number;
  mb: number;
  /** Tap groups over all phases (weight words of one block per input-channel block). */
  tgt: number;
  /** Output pixels per weight fetch (streamed) or 1. */
  group: number;
  /** 128-bit beats of one block of POUT output channels' weights (streamed), 0 on chip. */
  beats: number;
  buffers: StageBuffer[];
  /** Cycles per frame (II = 1 iterations) of the compute unit, of the sliding-window unit, and their max. */
  mvauCycles: number;
  swuCycles: number;
  cycles: number;
  /** Weight bytes fetched from DRAM per frame (whole beats). */
  fetchBytes: number;
}

/** Bytes per beat of the streamed-weight port (128-bit AXI, UG1085 HP ports / UG1399 m_axi). */
export const WEIGHT_BEAT_BYTES = 16;

/**
 * Cycles each entry of a pipelined loop costs before its first result (its fill): the window unit's
 * read, select, write; the compute unit's operand read, multiply, adder tree and accumulate. Nominal figures of
 * this description (Vitis reports the real ones in csynth): the count and the estimate pay them alike.
 */
export const SWU_DEPTH = 3;
export const MVAU_DEPTH = 6;

/**
 * The stage's loops and memories. The compute unit runs one iteration per window word × block of output
 * channels; with streamed weights, block k+1's beats arrive while block k computes, and a block waits for its
 * weights (per block max(compute, beats), plus the first block's beats). The sliding-window unit runs, per
 * output row, max(words it reads, window words it emits), after a prologue that reads the first window's rows.
 */
/**
 * What a stage's loops cost per input-channel block and output-channel block, for one geometry and PK: the
 * part of stageArch that PIN and POUT do not change (every trip count below is a multiple of nb, or of nb·mb),
 * so a search trying many parallelisms of one layer counts the rows once. Pure; `groups` fills as asked.
 */
export interface StageShape {
  pk: number;
  /** Tap groups per phase [py][px], their sum and largest. */
  grid: number[][];
  tgt: number;
  tgMax: number;
  /** Compute-unit iterations per nb·mb with weights on chip: Σ over vertical phases of rows × (words of a row / nb). */
  mvauOnChip: number;
  /** Output rows of each vertical phase, and the window words of one of its rows per nb. */
  rows: number[];
  rowWords: number[];
  /** Sliding-window unit per nb: the prologue's words and Σ over output rows of max(words read, words emitted). */
  swuFirst: number;
  swuRows: number;
  /**
   * Streamed weights, per group size: for each vertical phase, the distinct window words per nb of a group (in
   * order of first occurrence along the row) and how many groups have each.
   */
  groups: Map<number, GroupWords[]>;
}

export function stageShape(g: StageGeom, pk: number): StageShape {
  const grid = phaseGroups(g, pk);
  let tgt = 0;
  let tgMax = -Infinity;
  for (const row of grid) for (const n of row) {
    tgt += n;
    tgMax = Math.max(tgMax, n);
  }
  const sp = g.kind === 'subpixel';
  const rows: number[] = [];
  const rowWords: number[] = [];
  let mvauOnChip = 0;
  for (let py = 0; py < grid.length; py++) {
    let n = 0;
    for (let px = 0; px < (sp ? g.sw : 1); px++) n += phaseCount(g, g.ow, g.sw, g.pl, px) * grid[py][px];
    rows.push(phaseCount(g, g.oh, g.sh, g.pt, py));
    rowWords.push(n);
    mvauOnChip += rows[py] * n;
  }
  let swuFirst = 0;
  let swuRows = 0;
  if (!directInput(g)) {
    const first = lastRow(g, 0);
    swuFirst = (first + 1) * g.iw;
    let next = first + 1;
    for (let oy = 0; oy < g.oh; oy++) {
      const to = oy + 1 < g.oh ? lastRow(g, oy + 1) : g.ih - 1;
      const fill = to >= next ? (to - next + 1) * g.iw : 0;
      if (to >= next) next = to + 1;
      swuRows += Math.max(fill, rowWords[sp ? (oy + g.pt) % g.sh : 0]);
    }
  }
  return { pk, grid, tgt, tgMax, mvauOnChip, rows, rowWords, swuFirst, swuRows, groups: new Map() };
}

/** A histogram of groups by window words: words[i] held by counts[i] groups (arrays: stageArch reads them for every parallelism). */
export interface GroupWords {
  words: number[];
  counts: number[];
}

/** Per vertical phase, how many groups of `group` output pixels hold each count of window words (per nb). */
function groupWords(g: StageGeom, s: StageShape, group: number): GroupWords[] {
  let out = s.groups.get(group);
  if (!out) {
    const sp = g.kind === 'subpixel';
    out = s.grid.map((phase) => {
      const hist = new Map<number, number>();
      for (let ox0 = 0; ox0 < g.ow; ox0 += group) {
        let words = 0;
        for (let ox = ox0; ox < Math.min(g.ow, ox0 + group); ox++) words += phase[sp ? (ox + g.pl) % g.sw : 0];
        hist.set(words, (hist.get(words) ?? 0) + 1);
      }
      return { words: [...hist.keys()], counts: [...hist.values()] };
    });
    s.groups.set(group, out);
  }
  return out;
}

export function stageArch(g: StageGeom, par: StagePar, bits: { weight: number; act: number }, shape?: StageShape): StageArch {
  const nb = cdivA(g.cin, par.pin);
  const mb = cdivA(g.cout, par.pout);
  const pk = g.kind === 'gdn' ? 1 : par.pk;
  const s = shape && shape.pk === pk ? shape : stageShape(g, pk);
  const { tgt, tgMax } = s;
  const stream = par.stream && g.kind !== 'gdn';
  const group = stream ? Math.max(1, Math.min(par.reuse, g.ow)) : 1;
  const blkBytes = tgt * nb * pk * par.pout * par.pin * (bits.weight / 8);
  const beats = stream ? cdivA(blkBytes, WEIGHT_BEAT_BYTES) : 0;
  // Compute-unit iterations: rows of each vertical phase × (per row) its blocks; streamed, each group of
  // pixels of a block waits for the block's weights (max(compute, beats)).
  let mvau = 0;
  if (!stream) mvau = s.mvauOnChip * nb * mb;
  else {
    const hists = groupWords(g, s, group);
    for (let py = 0; py < hists.length; py++) {
      if (!s.rows[py]) continue;
      let row = 0;
      const { words, counts } = hists[py];
      for (let i = 0; i < words.length; i++) row += counts[i] * mb * Math.max(words[i] * nb, beats);
      mvau += s.rows[py] * row;
    }
  }
  const blocks = stream ? g.oh * cdivA(g.ow, group) * mb : 0;
  // The first block's beats before the loop; the loop's fill (and the prologue's); the last group's outputs.
  mvau += beats + MVAU_DEPTH * (stream ? 2 : 1) + (group > 1 ? (g.ow - (cdivA(g.ow, group) - 1) * group) * mb : 0);
  // Sliding-window unit: per output row, max(words it reads, window words it emits), after the prologue.
  const swu = directInput(g) ? 0 : s.swuFirst * nb + (g.oh + 1) * SWU_DEPTH + s.swuRows * nb;
  const buffers: StageBuffer[] = [];
  const wbits = par.pin * bits.weight;
  if (stream) {
    buffers.push({ name: 'weights_dbuf', count: pk * par.pout, width: wbits, depth: 2 * tgt * nb });
    if (group > 1) buffers.push({ name: 'out_pingpong', count: 1, width: par.pout * bits.act, depth: 2 * group * mb });
  } else {
    buffers.push({ name: 'weights', count: pk * par.pout, width: wbits, depth: mb * tgt * nb });
  }
  // The window buffer is read a whole window word (PK taps) a cycle: one bank per tap.
  buffers.push({ name: 'window', count: pk, width: par.pin * bits.act, depth: group * tgMax * nb });
  const fifo = inputFifoWords(g, par.pin);
  if (fifo > 2) buffers.push({ name: 'in_fifo', count: 1, width: par.pin * bits.act, depth: fifo });
  const lb = lineBufferRows(g);
  if (lb > 0) {
    const xb = pk > 1 ? Math.min(pk, phaseTaps1(g, g.kw, g.sw, 0)) : 1;
    buffers.push({ name: 'line', count: lb * xb, width: par.pin * bits.act, depth: cdivA(g.iw, xb) * nb });
  }
  return {
    nb, mb, tgt, group, beats, buffers, mvauCycles: mvau, swuCycles: swu, cycles: Math.max(mvau, swu),
    fetchBytes: blocks * beats * WEIGHT_BEAT_BYTES,
  };
}

/**
 * A pixel shuffle by R as the template builds it (lic_stages.h shuffle_stage): words of `word` channels in and out;
 * it reads input row y into one half of a row buffer while it writes the R output rows of row y - 1 from the other,
 * the two spread over max(reads, writes) II = 1 iterations, plus a loop entry per row. Its output moves a word a
 * cycle: after a sub-pixel convolution it can be the slowest process of the pipeline.
 */
export function shuffleCycles(g: { h: number; w: number; c: number; r: number }, word: number): number {
  const rd = g.w * cdivA(g.c * g.r * g.r, word);
  const wr = g.r * g.w * g.r * cdivA(g.c, word);
  return rd + Math.max(0, g.h - 1) * Math.max(rd, wr) + wr + (g.h + 1) * SWU_DEPTH;
}
