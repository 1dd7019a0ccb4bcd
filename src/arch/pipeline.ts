/**
 * The pipeline template's microarchitecture, as far as the stream timing of its stages goes (pure).
 *
 * Stages are row-granular (hls-templates/pipeline/lic_stages.h, FINN's sliding-window unit): a stage reads input
 * rows into its line buffer until the window of its next output row is complete, then produces that whole
 * output row. A window-attention stage (Swin / Zou 2022, masked shifted windows) needs the band of `window`
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
    return Math.floor(p / sh) + 1;
  }
  // "same" pads ⌊max((out − 1)·S + K − in, 0)/2⌋ on top (TensorFlow; 1, not 2, for 5×5/2 on an even map).
  const p = n.padding === 'same'
    ? Math.floor(Math.max(((n.outH ?? Math.ceil(n.inH / sh)) - 1) * sh + kh - n.inH, 0) / 2)
    : (n.padding?.[0] ?? Math.floor((kh - 1) / 2));
  // Output row 0's window ends at input row K − 1 − P; the row in production is one more.
  return Math.max(0, kh - 1 - p) + 1;
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
