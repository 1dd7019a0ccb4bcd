/**
 * The columns of points.csv, layers.csv and pareto.csv: name, type and meaning. The CSV writers, the
 * readers, the HTML tables and the README's column list all come from these lists.
 */

export type ColumnType = 'int' | 'num' | 'str' | 'bool';
export interface Column {
  name: string;
  type: ColumnType;
  doc: string;
}
export type Cell = string | number | boolean | null;
export type Row = Cell[];

const c = (name: string, type: ColumnType, doc: string): Column => ({ name, type, doc });

/** The inputs every row repeats, so that each file can be read on its own (a pandas groupby, a pivot table). */
const KEY_COLUMNS: Column[] = [
  c('model', 'str', 'zoo name or model file'),
  c('variant', 'str', 'model variant (empty: the model has none or `params` override it)'),
  c('platform', 'str', 'board'),
  c('precision', 'str', 'default precision of the design (int8, int16, wXaY, fp16, fp32)'),
  c('res', 'str', 'input resolution WIDTHxHEIGHT before padding'),
  c('arch', 'str', 'template: engine (one MAC array, layers in turn), pipeline (one stage per layer), dpu (Vitis AI DPU as the board ships it, with CPU subgraphs) or gpu (roofline of the board\'s GPU counterpart)'),
  c('path', 'str', 'encode or decode'),
];

const RES_COLUMNS = ['dsp', 'bram18', 'uram', 'lut', 'ff'] as const;

export const POINT_COLUMNS: Column[] = [
  c('job', 'int', 'index of the combination in sweep order (models vary slowest, paths fastest); the key of layers.csv and pareto.csv'),
  c('label', 'str', 'model, variant, board, precision, resolution, template and path in one string'),
  c('status', 'str', '"ok", or "error" when explore failed with a user-level error (e.g. no design fits the board); the sweep goes on'),
  ...KEY_COLUMNS.slice(0, 1),
  KEY_COLUMNS[1],
  c('params', 'str', 'parameter overrides, "N=96;M=128" (empty: none)'),
  ...KEY_COLUMNS.slice(2),
  c('pad', 'str', 'padding policy: stride (pad to a multiple of the total stride) or same'),
  c('clockMHz', 'num', 'design clock, MHz'),
  c('width', 'int', 'image width, pixels'),
  c('height', 'int', 'image height, pixels'),
  c('paddedWidth', 'int', 'width after padding'),
  c('paddedHeight', 'int', 'height after padding'),
  c('fps', 'num', 'end-to-end frames per second (accelerator and entropy coder together)'),
  c('acceleratorFps', 'num', 'frames per second of the accelerator alone'),
  c('latencyMs', 'num', 'latency of one frame, ms'),
  c('gops', 'num', 'useful GOP/s of the accelerator (2 ops per MAC)'),
  c('peakGops', 'num', 'compute roof of the design: 2 × MAC lanes × clock (engine: the array; pipeline: all stages together), GOP/s'),
  c('macs', 'int', 'useful MACs per frame on the path'),
  c('bottleneck', 'str', 'what limits the design: a layer and its bound, off-chip bandwidth, the entropy coder or the serial decode chain'),
  c('bottleneckLayer', 'str', 'the layer id when the bottleneck is a layer'),
  c('feasible', 'bool', 'true when every resource is within its cap'),
  c('violations', 'str', 'resources over their cap, "; "-separated'),
  ...RES_COLUMNS.flatMap((k) => [
    c(`${k}Used`, 'int', `${k.toUpperCase()} used by the design`),
    c(`${k}Available`, 'int', `${k.toUpperCase()} available to kernels on the board (device minus platform shell)`),
    c(`${k}Cap`, 'num', `fraction of the available ${k.toUpperCase()} the search may use`),
  ]),
  c('bandwidthUsedGBs', 'num', 'off-chip traffic at the accelerator\'s frame rate, GB/s'),
  c('bandwidthAvailableGBs', 'num', 'sustained off-chip bandwidth of the board (peak × efficiency), GB/s'),
  c('entropySymbols', 'int', 'symbols the entropy coder codes per frame'),
  c('entropyMs', 'num', 'entropy coder time per frame on the board\'s CPU, ms'),
  c('entropySymbolsPerSec', 'num', 'entropy coder throughput, symbols/s'),
  c('serialPositions', 'int', 'latent positions decoded one after another (Minnen 2018 context model at decode; empty otherwise)'),
  c('serialMs', 'num', 'time of that serial chain per frame, ms'),
  c('evaluated', 'int', 'design points the search evaluated'),
  c('paretoSize', 'int', 'points on the search\'s Pareto front (rows in pareto.csv)'),
  c('layerCount', 'int', 'layers of the path (rows in layers.csv)'),
  c('design', 'str', 'the chosen design in short: engine unroll, tile capacities and buffer depths; pipeline stages, MAC lanes, streamed/spilled layers; DPU cores, size and clock; GPU device'),
  c('cpuSubgraphs', 'str', 'dpu: the layers the DPU cannot run, as numbered CPU subgraphs "1: g_a/1; 2: g_a/3, g_a/4" (empty: none, or not a dpu row)'),
  c('cpuMs', 'num', 'dpu: CPU time per frame on one Arm thread for those subgraphs and the DPU↔CPU hand-overs, ms (empty for other targets)'),
  c('error', 'str', 'the error message when status is "error"'),
];

export const LAYER_COLUMNS: Column[] = [
  c('job', 'int', 'the design point (points.csv job)'),
  ...KEY_COLUMNS,
  c('layer', 'str', 'layer id "<part>/<name>", as `describe` and design-point files name it'),
  c('part', 'str', 'model part (g_a, h_a, h_s, g_s, context_prediction, ...)'),
  c('name', 'str', 'layer name within the part'),
  c('op', 'str', 'operation (conv, deconv, gdn, igdn, masked_conv, matmul, ...)'),
  c('layerPrecision', 'str', 'precision of this layer'),
  c('macs', 'int', 'useful MACs per frame'),
  c('executedMacs', 'int', 'MACs the hardware executes (zero insertion, masked taps)'),
  c('cycles', 'int', 'cycles per frame (pipeline: the stage\'s busy cycles)'),
  c('timeMs', 'num', 'cycles at the design clock, ms'),
  c('bound', 'str', 'why the layer takes its time: compute, memory (off-chip bandwidth), latency (transfers not hidden behind compute), overhead, serial, fused (into its producer) or cpu'),
  c('ops', 'num', 'operations per frame (2 per MAC)'),
  c('offchipBytes', 'num', 'off-chip bytes per frame'),
  c('ctc', 'num', 'computation-to-communication ratio, ops per off-chip byte (empty: no off-chip traffic)'),
  c('attainableGops', 'num', 'roofline: min(compute roof, CTC × bandwidth), GOP/s'),
  c('achievedGops', 'num', 'ops / layer time, GOP/s (empty for layers with no cycles)'),
  c('roofGops', 'num', 'compute roof of the MAC lanes the layer runs on, GOP/s (empty for layers with no MACs)'),
  c('rooflineBound', 'str', 'compute or memory, from the roofline'),
  c('utilization', 'num', 'useful MACs per cycle over the MAC lanes available to the layer'),
  c('dsp', 'int', 'DSPs of the layer\'s stage (pipeline; 0 for the engine\'s shared array)'),
  c('bram18', 'int', 'BRAM18 of the layer\'s stage (pipeline)'),
  c('mapping', 'str', 'engine: tiles; pipeline: parallelism, weight streaming, spill'),
  c('bottleneck', 'bool', 'true for the layer(s) that limit the design'),
];

export const PARETO_COLUMNS: Column[] = [
  c('job', 'int', 'the design point (points.csv job)'),
  ...KEY_COLUMNS,
  c('rank', 'int', 'position on the front, fastest first'),
  c('fps', 'num', 'accelerator frames per second of this design'),
  c('dsp', 'int', 'DSPs'),
  c('bram18', 'int', 'BRAM18s'),
  c('design', 'str', 'the design (engine: unroll, tiles, depth; pipeline: the target stage time)'),
];

/** A record (object keyed by column name) → a row in column order. Every column must be present. */
export function toRow(columns: Column[], rec: Record<string, Cell | undefined>): Row {
  return columns.map((col) => {
    const v = rec[col.name];
    if (v === undefined) throw new Error(`record has no "${col.name}"`);
    return v;
  });
}

/** A row in column order → a record. */
export function toRecord<T>(columns: Column[], row: Row): T {
  const out: Record<string, Cell> = {};
  columns.forEach((col, i) => { out[col.name] = row[i]; });
  return out as T;
}

/** One CSV field → a typed cell (empty → null). */
export function parseCell(type: ColumnType, s: string): Cell {
  if (s === '') return type === 'str' ? '' : null;
  switch (type) {
    case 'int':
    case 'num': {
      const n = Number(s);
      if (Number.isNaN(n)) throw new Error(`"${s}" is not a number`);
      return n;
    }
    case 'bool': return s === 'true';
    default: return s;
  }
}

/** A typed cell → its CSV text (numbers in JavaScript's shortest round-trip form). */
export function formatCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`non-finite number ${v} in a report row`);
    return String(v);
  }
  return v;
}

type Num = number | null;

export interface PointRecord {
  job: number;
  label: string;
  status: 'ok' | 'error';
  model: string;
  variant: string;
  params: string;
  platform: string;
  precision: string;
  res: string;
  arch: string;
  path: string;
  pad: string;
  clockMHz: Num;
  width: number;
  height: number;
  paddedWidth: Num;
  paddedHeight: Num;
  fps: Num;
  acceleratorFps: Num;
  latencyMs: Num;
  gops: Num;
  peakGops: Num;
  macs: Num;
  bottleneck: string;
  bottleneckLayer: string;
  feasible: boolean | null;
  violations: string;
  dspUsed: Num; dspAvailable: Num; dspCap: Num;
  bram18Used: Num; bram18Available: Num; bram18Cap: Num;
  uramUsed: Num; uramAvailable: Num; uramCap: Num;
  lutUsed: Num; lutAvailable: Num; lutCap: Num;
  ffUsed: Num; ffAvailable: Num; ffCap: Num;
  bandwidthUsedGBs: Num;
  bandwidthAvailableGBs: Num;
  entropySymbols: Num;
  entropyMs: Num;
  entropySymbolsPerSec: Num;
  serialPositions: Num;
  serialMs: Num;
  evaluated: Num;
  paretoSize: Num;
  layerCount: Num;
  design: string;
  cpuSubgraphs: string;
  cpuMs: Num;
  error: string;
}

export interface LayerRecord {
  job: number;
  model: string;
  variant: string;
  platform: string;
  precision: string;
  res: string;
  arch: string;
  path: string;
  layer: string;
  part: string;
  name: string;
  op: string;
  layerPrecision: string;
  macs: number;
  executedMacs: number;
  cycles: number;
  timeMs: number;
  bound: string;
  ops: number;
  offchipBytes: number;
  ctc: Num;
  attainableGops: number;
  achievedGops: Num;
  roofGops: Num;
  rooflineBound: string;
  utilization: number;
  dsp: number;
  bram18: number;
  mapping: string;
  bottleneck: boolean;
}

export interface ParetoRecord {
  job: number;
  model: string;
  variant: string;
  platform: string;
  precision: string;
  res: string;
  arch: string;
  path: string;
  rank: number;
  fps: number;
  dsp: number;
  bram18: number;
  design: string;
}
