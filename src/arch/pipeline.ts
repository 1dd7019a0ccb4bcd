/**
 * The pipeline template's microarchitecture, as far as the stream timing of its stages goes (pure).
 *
 * How early a stage releases its output decides how long a join must hold the other operand, so it is stated
 * once here and read by the cost model (join buffers) and the emitter (join FIFO depths):
 * - 'row': the stage reads input rows into its line buffer until the windows of its next output row are
 *   complete, then produces that whole output row (hls-templates/pipeline/lic_stages.h, conv_core). Each stage
 *   adds the row it is producing to the lead: a 1×1 conv leads by one row, a 3×3 (pad 1) by two.
 * - 'pixel': a sliding-window unit (FINN's ConvolutionInputGenerator, Umuroglu et al. 2017 / Blott et al.
 *   2018, github.com/Xilinx/finn-hlslib slidingwindow.h) releases each output pixel as soon as the last pixel
 *   of its window has arrived, so a stage leads only by the rows its window reaches below the output row
 *   (K − 1 − P; a 1×1 conv by none). The columns it reaches to the right (K − 1 − P pixels) and the pixels in
 *   its pipeline are a fraction of a row; the one row a join adds on top covers them (joinRows).
 *
 * Window attention (Swin / Zou 2022, masked shifted windows) works on bands of `window` rows, whichever the
 * granule: the cyclic shift with its mask is a window grid offset by the shift with partial windows at the
 * borders, so no band depends on a later one. Tokens arrive in raster order but a window's scores need all its
 * keys, so a band is turned into window order once its last row is in (qk: `window` rows), and its windows
 * come out one after another, so a raster row of the band leaves only when the band's last window is done (av:
 * up to `window` rows more, since a stage balanced to the frame takes up to a band's time for a band). The
 * two reorders each hold one band (cost/pipeline.ts: a band of `dim` channels at qk and at av), not the map.
 *
 * A join of two branches (residual add, gating multiply) must hold the earlier operand for as long as the
 * later one lags: the lead of each tensor is the largest lead over its inputs plus its own stage's lead
 * (branches run side by side, so parallel branches take the maximum, not the sum).
 */

export type Granule = 'row' | 'pixel';

/**
 * The granule of the emitted pipeline stages. lic_stages.h's conv_core produces whole rows, so 'row'; a stage
 * rewritten as a pixel-granular sliding-window unit must switch this to 'pixel' in the same change (the
 * threaded csim, test/emit/csim.test.ts, runs every emitted project with join FIFOs of exactly these depths and
 * deadlocks when a stage releases later than stated here).
 */
export const STAGE_GRANULE: Granule = 'row';

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

/**
 * Input rows a stage reads before it emits its first output row (its lead), in rows of its own input. Under
 * 'row' the row in production counts (+1); under 'pixel' only the rows the first window reaches below row 0.
 */
export function stageLeadRows(n: StreamNode, granule: Granule = STAGE_GRANULE): number {
  // A pixel shuffle's first output rows are its first input row, which must be complete (raster order).
  if (n.op === 'pixel_shuffle') return 1;
  if (!MAC_STAGE.has(n.op)) return 0;
  // A window band enters window order once its last row is in (qk), and leaves raster order once its last
  // window is done (av): `window` rows each, counting the row in production.
  if (n.op === 'matmul' && n.window) return n.window;
  const producing = granule === 'row' ? 1 : 0;
  if (n.op === 'matmul') return producing;
  const [kh] = n.kernel ?? [1, 1];
  const [sh] = n.stride ?? [1, 1];
  if (n.op === 'deconv') {
    // Output row o needs input row ⌊(o + P)/S⌋: the padding ahead, in input rows, plus the row in production.
    // "same" is TensorFlow's P = ⌊max(K − S, 0)/2⌋.
    const p = n.padding === 'same' ? Math.floor(Math.max(kh - sh, 0) / 2) : (n.padding?.[0] ?? Math.floor((kh - 1) / 2));
    return Math.floor(p / sh) + producing;
  }
  // "same" pads ⌊max((out − 1)·S + K − in, 0)/2⌋ on top (TensorFlow; 1, not 2, for 5×5/2 on an even map).
  const p = n.padding === 'same'
    ? Math.floor(Math.max(((n.outH ?? Math.ceil(n.inH / sh)) - 1) * sh + kh - n.inH, 0) / 2)
    : (n.padding?.[0] ?? Math.floor((kh - 1) / 2));
  // Output row 0's window ends at input row K − 1 − P.
  return Math.max(0, kh - 1 - p) + producing;
}

/** Each tensor's lead over its scope's input, as a fraction of the frame height (resolution-free). */
export function streamLeads(nodes: Map<string, StreamNode>, granule: Granule = STAGE_GRANULE): Map<string, number> {
  const lead = new Map<string, number>([['@input', 0]]);
  const of = (name: string): number => {
    const known = lead.get(name);
    if (known !== undefined) return known;
    const n = nodes.get(name);
    if (!n) return 0;
    lead.set(name, 0);
    const v = Math.max(0, ...n.inputs.map(of)) + stageLeadRows(n, granule) / Math.max(1, n.inH);
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
  // Plus one row: under 'row' the lagging branch produces its row while the held one is already complete; under
  // 'pixel' the windows' column reach and the pixels in flight, each well under a row.
  return { rows: Math.ceil(gap * height - 1e-9) + 1, held: inputs[lo] };
}
