/**
 * The memory side of a design at beat and transaction level (DESIGN.md §5), shared by every template.
 *
 * A tensor lives in DRAM channel-blocked: a beat word holds L channels of one pixel ([⌈C/L⌉][H][W] words), so a
 * pixel of a C-channel tensor costs ⌈C/L⌉ beats whatever C is (a 3-channel image pays full 16-lane beats).
 * A block transfer is a set of contiguous runs (one run per row of a tile, or one for a whole map), each split
 * into AXI transactions of at most `maxBurstBeats`. The port moves one beat per cycle at best (fewer when
 * the kernel's beat is wider than the memory-side port); a transaction's
 * round trip (`latencyCycles`) is hidden only while `outstanding` transactions cover it, so short rows (short
 * bursts) make a port latency-bound; the DRAM side charges whole access granules per transaction and delivers
 * the board's sustained bytes per cycle. Pure: no I/O.
 */

/** The AXI/DRAM coefficients of a board (platforms/<board>.json "axi", each with its source). */
export interface AxiParams {
  /** Largest burst the path to DRAM accepts, in beats (ZynqMP HP ports: 16, UG1085). */
  maxBurstBeats: number;
  /** Transactions in flight per port before the master stalls. */
  outstanding: number;
  /** Read round trip in kernel cycles, request to first beat. */
  latencyCycles: number;
  /** Bytes the DRAM controller moves per access, whatever fewer bytes a transaction asks for. */
  granuleBytes: number;
  /** Data width of the path into the memory system: a wider kernel beat takes ⌈beat/portBits⌉ cycles. */
  portBits: number;
}

/**
 * HLS m_axi defaults (UG1399 "Controlling AXI4 Burst Behavior": latency 64 cycles, max_read_burst_length 16,
 * num_read_outstanding 16) with a 64-byte DDR4 access (BL8 × 64-bit); used for a board file without "axi".
 */
export const DEFAULT_AXI: AxiParams = { maxBurstBeats: 16, outstanding: 16, latencyCycles: 64, granuleBytes: 64, portBits: 512 };

/** `runs` contiguous runs of `beatsPerRun` beats each (e.g. one run per row of a tile, per channel block). */
export interface Block {
  runs: number;
  beatsPerRun: number;
}

export interface Traffic {
  beats: number;
  transactions: number;
  /** Bytes the DRAM spends on the block: whole granules per transaction. */
  dramBytes: number;
}

export const noTraffic = (): Traffic => ({ beats: 0, transactions: 0, dramBytes: 0 });
export const addTraffic = (a: Traffic, b: Traffic): Traffic => ({ beats: a.beats + b.beats, transactions: a.transactions + b.transactions, dramBytes: a.dramBytes + b.dramBytes });
export const scaleTraffic = (a: Traffic, k: number): Traffic => ({ beats: a.beats * k, transactions: a.transactions * k, dramBytes: a.dramBytes * k });

/** Beats a pixel of `channels` channels takes in a channel-blocked layout of `lanes` channels per beat. */
export const beatsPerPixel = (channels: number, lanes: number) => Math.ceil(channels / lanes);

/** Beats, transactions and DRAM bytes of a block on a port of `beatBytes`. */
export function blockTraffic(b: Block, beatBytes: number, axi: AxiParams): Traffic {
  const s = scratch.fill(0);
  addBlockTraffic(s, 0, b.runs, b.beatsPerRun, beatBytes, axi);
  return { beats: s[0], transactions: s[1], dramBytes: s[2] };
}
const scratch = new Float64Array(3);

/**
 * blockTraffic of `runs` runs of `beatsPerRun` beats, added to out[o..o+2] (beats, transactions, DRAM bytes):
 * the engine's step model sums a step's ports in place (its search costs millions of steps, allocating nothing).
 */
export function addBlockTraffic(out: Float64Array, o: number, runs: number, beatsPerRun: number, beatBytes: number, axi: AxiParams): void {
  if (runs <= 0 || beatsPerRun <= 0) return;
  const full = Math.floor(beatsPerRun / axi.maxBurstBeats);
  const rest = beatsPerRun % axi.maxBurstBeats;
  const txPerRun = full + (rest > 0 ? 1 : 0);
  const dramPerRun = (full * granules(axi.maxBurstBeats, beatBytes, axi) + (rest > 0 ? granules(rest, beatBytes, axi) : 0)) * axi.granuleBytes;
  out[o] += runs * beatsPerRun;
  out[o + 1] += runs * txPerRun;
  out[o + 2] += runs * dramPerRun;
}
const granules = (beats: number, beatBytes: number, axi: AxiParams) => Math.ceil((beats * beatBytes) / axi.granuleBytes);

/**
 * Cycles one port needs for a traffic it carries in one go (one pipelined loop): a beat per cycle at best, at
 * most `outstanding` transactions per round trip, and the first round trip exposed.
 */
export function portCycles(t: Traffic, axi: AxiParams, beatBits = 128): number {
  if (t.beats <= 0) return 0;
  return Math.max(t.beats * beatCycles(beatBits, axi), Math.ceil((t.transactions * axi.latencyCycles) / axi.outstanding)) + axi.latencyCycles;
}

/** Cycles a beat of `beatBits` takes through the memory-side port (a width converter narrows wider beats). */
export const beatCycles = (beatBits: number, axi: AxiParams) => Math.max(1, Math.ceil(beatBits / axi.portBits));

/** Cycles the DRAM needs for the traffic of all ports together, at its sustained bytes per kernel cycle. */
export const dramCycles = (dramBytes: number, dramBytesPerCycle: number) => dramBytes / dramBytesPerCycle;
