/**
 * Charts of a sweep as chart.js configurations: plain JSON built from report records (the rows of
 * points.csv / layers.csv), so that the same configuration is rendered to PNG here (chart.js on
 * @napi-rs/canvas) and embedded in index.html, where the browser's chart.js makes it interactive.
 */
import type { LayerRecord, PointRecord } from './columns.js';

/** A chart.js configuration (JSON only) plus what the renderers need: size and which axes are logarithmic. */
export interface ChartSpec {
  type: 'scatter' | 'bar';
  data: { labels?: (string | string[])[]; datasets: Record<string, unknown>[] };
  options: Record<string, unknown>;
  lic: { width: number; height: number; logAxes: ('x' | 'y')[] };
}

export const BOUND_COLORS: Record<string, string> = {
  compute: '#1f77b4',
  memory: '#ff7f0e',
  latency: '#2ca02c',
  overhead: '#9467bd',
  serial: '#8c564b',
  fused: '#7f7f7f',
  cpu: '#17becf',
};
export const BOTTLENECK_COLOR = '#d62728';
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const RESOURCE_COLORS: Record<string, string> = { dsp: '#1f77b4', bram18: '#ff7f0e', uram: '#2ca02c', lut: '#9467bd', ff: '#8c564b' };
const BOUND_ORDER = ['compute', 'memory', 'latency', 'overhead', 'serial'];

const decadeDown = (x: number) => 10 ** Math.floor(Math.log10(x));
const decadeUp = (x: number) => 10 ** Math.ceil(Math.log10(x));

/** 3 significant digits with thousands separators; for titles and legends. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(3)));
}

export function title(text: string, subtitle?: string) {
  return {
    title: { display: true, text, font: { size: 17, weight: 'bold' }, color: '#111' },
    subtitle: { display: !!subtitle, text: subtitle ?? '', font: { size: 13 }, color: '#333', padding: { bottom: 10 } },
  };
}

export function axis(type: 'linear' | 'logarithmic', label: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    title: { display: true, text: label, font: { size: 14 }, color: '#111' },
    ticks: { color: '#222', font: { size: 12 }, maxRotation: 0, autoSkip: true },
    grid: { color: '#e3e3e3' },
    ...extra,
  };
}

const pointLabel = (p: Pick<PointRecord, 'label'>) => p.label;

/**
 * Roofline of one design (Williams et al. 2009; Zhang et al. FPGA'15): log-log, the bandwidth slope up
 * to the ridge and the compute roof after it; each layer at (CTC, achieved GOP/s), coloured by bound;
 * the bottleneck layer ringed in red; the whole design as a star. Layers with no off-chip traffic have
 * an infinite CTC and are drawn as triangles at the right edge. Pipelines also show each stage's own roof.
 */
export function rooflineSpec(p: PointRecord, layers: LayerRecord[]): ChartSpec {
  const bw = p.bandwidthAvailableGBs ?? 1;
  const peak = p.peakGops ?? 1;
  const ridge = peak / bw;
  const active = layers.filter((l) => l.cycles > 0 && l.ops > 0 && l.achievedGops !== null);
  const ctcs = active.map((l) => l.ctc).filter((x): x is number => x !== null && x > 0);
  const totalOps = active.reduce((s, l) => s + l.ops, 0);
  const totalBytes = active.reduce((s, l) => s + l.offchipBytes, 0);
  const designCtc = totalBytes > 0 ? totalOps / totalBytes : null;
  const xs = [...ctcs, ridge, ...(designCtc ? [designCtc] : [])];
  const xmin = decadeDown(Math.min(...xs) / 2);
  const xmax = Math.max(...xs) * 5;
  const onChipX = xmax / 1.6;
  const ys = [...active.map((l) => l.achievedGops!), ...(p.gops ? [p.gops] : [])].filter((y) => y > 0);
  const ymin = Math.min(peak, ...ys) / 2;
  const ymax = peak * 2.5;
  const at = (l: LayerRecord) => ({ x: l.ctc ?? onChipX, y: l.achievedGops!, label: `${l.layer} (${l.op}, ${l.bound}${l.ctc === null ? ', no off-chip traffic' : ''})` });
  const datasets: Record<string, unknown>[] = [
    {
      label: `bandwidth ${fmt(bw)} GB/s`, data: [{ x: xmin, y: xmin * bw }, { x: ridge, y: peak }],
      showLine: true, borderColor: '#555', backgroundColor: '#555', borderWidth: 2, pointRadius: 0, pointStyle: 'line', borderDash: [6, 4], order: 10,
    },
    {
      label: `compute roof ${fmt(peak)} GOP/s`, data: [{ x: ridge, y: peak }, { x: xmax, y: peak }],
      showLine: true, borderColor: '#111', backgroundColor: '#111', borderWidth: 2.5, pointRadius: 0, pointStyle: 'line', order: 10,
    },
  ];
  if (p.arch === 'pipeline') {
    datasets.push({
      label: 'stage roof (its own MAC lanes)',
      data: active.filter((l) => l.roofGops !== null).map((l) => ({ x: l.ctc ?? onChipX, y: l.roofGops!, label: `${l.layer} roof` })),
      pointStyle: 'line', pointRadius: 9, borderColor: '#9a9a9a', backgroundColor: '#9a9a9a', borderWidth: 2, order: 5,
    });
  }
  for (const bound of BOUND_ORDER) {
    const ls = active.filter((l) => l.bound === bound);
    if (!ls.length) continue;
    datasets.push({
      label: `${bound}-bound layers (${ls.length})`, data: ls.map(at),
      pointStyle: ls.map((l) => (l.ctc === null ? 'triangle' : 'circle')),
      pointRadius: 6, pointHoverRadius: 8, backgroundColor: BOUND_COLORS[bound], borderColor: '#fff', borderWidth: 1, order: 2,
    });
  }
  const bn = active.filter((l) => l.bottleneck);
  if (bn.length) {
    datasets.push({
      label: `bottleneck (${bn.map((l) => l.layer).slice(0, 2).join(', ')}${bn.length > 2 ? ', …' : ''})`, data: bn.map(at),
      pointStyle: 'circle', pointRadius: 11, backgroundColor: 'rgba(0,0,0,0)', borderColor: BOTTLENECK_COLOR, borderWidth: 2.5, order: 1,
    });
  }
  if (p.gops && p.gops > 0) {
    datasets.push({
      label: 'whole design', data: [{ x: designCtc ?? onChipX, y: p.gops, label: `whole design: ${fmt(p.gops)} GOP/s useful` }],
      pointStyle: 'star', pointRadius: 12, borderColor: '#000', backgroundColor: '#000', borderWidth: 2, order: 0,
    });
  }
  const onChip = active.some((l) => l.ctc === null);
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      plugins: {
        ...title(`Roofline — ${pointLabel(p)}`,
          `FPS ${fmt(p.fps ?? 0)}; bottleneck: ${p.bottleneck}${onChip ? '; ▲ = no off-chip traffic (CTC ∞), drawn at the right edge' : ''}`),
        legend: { position: 'bottom', labels: { usePointStyle: true, font: { size: 13 }, color: '#222' } },
      },
      scales: {
        x: axis('logarithmic', 'CTC — operations per off-chip byte (log)', { min: xmin, max: xmax }),
        y: axis('logarithmic', 'GOP/s (log)', { min: ymin, max: ymax }),
      },
    },
    lic: { width: 1000, height: 640, logAxes: ['x', 'y'] },
  };
}

/** Cycles per layer (horizontal bars, one per layer with cycles), coloured by bound, the bottleneck in red. */
export function layerCyclesSpec(p: PointRecord, layers: LayerRecord[]): ChartSpec {
  const active = layers.filter((l) => l.cycles > 0);
  const labels = active.map((l) => (l.bottleneck ? `▶ ${l.layer}` : l.layer));
  const datasets: Record<string, unknown>[] = [];
  for (const bound of BOUND_ORDER) {
    if (!active.some((l) => !l.bottleneck && l.bound === bound)) continue;
    datasets.push({
      label: bound, data: active.map((l) => (!l.bottleneck && l.bound === bound ? l.cycles : null)),
      backgroundColor: BOUND_COLORS[bound], borderWidth: 0, barPercentage: 0.85, categoryPercentage: 0.9,
    });
  }
  if (active.some((l) => l.bottleneck)) {
    datasets.push({
      label: 'bottleneck', data: active.map((l) => (l.bottleneck ? l.cycles : null)),
      backgroundColor: BOTTLENECK_COLOR, borderColor: '#000', borderWidth: 1, barPercentage: 0.85, categoryPercentage: 0.9,
    });
  }
  const what = p.arch === 'pipeline' ? 'stage cycles per frame (the slowest stage sets the frame rate)' : 'cycles per frame (layers run in turn)';
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      plugins: {
        ...title(`Cycles per layer — ${pointLabel(p)}`, `bottleneck: ${p.bottleneck}; FPS ${fmt(p.fps ?? 0)} at ${fmt(p.clockMHz ?? 0)} MHz`),
        legend: { position: 'bottom', labels: { font: { size: 13 }, color: '#222' } },
      },
      scales: {
        x: axis('linear', what, { stacked: true, beginAtZero: true }),
        y: axis('linear', 'layer', { type: 'category', stacked: true, ticks: { color: '#222', font: { size: 12 }, autoSkip: false } }),
      },
    },
    lic: { width: 1000, height: Math.max(360, 150 + 19 * active.length), logAxes: [] },
  };
}

/** A chosen design as the per-board charts see it (a few numbers from points.csv). */
export interface BoardPoint {
  job: number;
  label: string;
  model: string;
  arch: string;
  fps: number;
  dsp: number;
}

/** Designs on the FPS–DSP Pareto front: no other design is at least as fast with at most as many DSPs. */
export function fpsDspFront<T extends { fps: number; dsp: number; job: number }>(pts: Iterable<T>, front: T[] = []): T[] {
  for (const p of pts) addToFront(front, p);
  return front;
}

/** Add one point to a front kept sorted by DSP ascending (FPS then ascending too); bounded by the front's size. */
export function addToFront<T extends { fps: number; dsp: number; job: number }>(front: T[], p: T): void {
  if (front.some((q) => q.dsp <= p.dsp && q.fps >= p.fps)) return;
  for (let i = front.length - 1; i >= 0; i--) if (p.dsp <= front[i].dsp && p.fps >= front[i].fps) front.splice(i, 1);
  let i = 0;
  while (i < front.length && (front[i].dsp < p.dsp || (front[i].dsp === p.dsp && front[i].job < p.job))) i++;
  front.splice(i, 0, p);
}

/**
 * FPS against DSP for every chosen design on one board (log FPS), a colour per model, ● engine ▲ pipeline,
 * the Pareto front as a step line and the DSPs the board has as a dashed line.
 */
export function paretoSpec(board: string, models: string[], points: BoardPoint[], front: BoardPoint[], dspAvailable: number, total: number): ChartSpec {
  const fpss = [...points, ...front].map((p) => p.fps).filter((x) => x > 0);
  const ymin = fpss.length ? decadeDown(Math.min(...fpss)) : 0.1;
  const ymax = fpss.length ? decadeUp(Math.max(...fpss) * 1.05) : 10;
  const datasets: Record<string, unknown>[] = [];
  models.forEach((m, i) => {
    const ps = points.filter((p) => p.model === m);
    if (!ps.length) return;
    datasets.push({
      label: m, data: ps.map((p) => ({ x: p.dsp, y: p.fps, label: p.label, job: p.job })),
      pointStyle: ps.map((p) => (p.arch === 'pipeline' ? 'triangle' : p.arch === 'dpu' ? 'rectRot' : 'circle')),
      pointRadius: 6, pointHoverRadius: 8, backgroundColor: PALETTE[i % PALETTE.length], borderColor: '#fff', borderWidth: 0.8, order: 2,
    });
  });
  if (front.length) {
    datasets.push({
      label: `Pareto front (${front.length})`, data: front.map((p) => ({ x: p.dsp, y: p.fps, label: `front: ${p.label}`, job: p.job })),
      showLine: true, stepped: 'after', borderColor: '#111', backgroundColor: '#111', borderWidth: 2, pointRadius: 3, pointStyle: 'rect', order: 1,
    });
  }
  datasets.push({
    label: `DSP available (${fmt(dspAvailable)})`, data: [{ x: dspAvailable, y: ymin }, { x: dspAvailable, y: ymax }],
    showLine: true, borderColor: '#888', backgroundColor: '#888', borderDash: [5, 5], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line', order: 3,
  });
  const shown = points.length < total ? `${points.length} of ${total} designs shown (every front design included)` : `${total} designs`;
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      plugins: {
        ...title(`FPS against DSP — ${board}`, `${shown}: the best design of each model × precision × resolution × template × path; ● engine  ▲ pipeline`),
        legend: { position: 'bottom', labels: { usePointStyle: true, font: { size: 13 }, color: '#222' } },
      },
      scales: {
        x: axis('linear', 'DSP used', { min: 0, grace: '3%' }),
        y: axis('logarithmic', 'frames per second, end to end (log)', { min: ymin, max: ymax }),
      },
    },
    lic: { width: 1000, height: 640, logAxes: ['y'] },
  };
}

/** A design's utilisation, for the per-board bars. */
export interface UtilisationBar {
  job: number;
  lines: string[];
  pct: Record<'dsp' | 'bram18' | 'uram' | 'lut' | 'ff', number | null>;
}

/** Resource utilisation (% of what the board offers kernels) of the fastest design of each model on a board. */
export function utilisationSpec(board: string, bars: UtilisationBar[]): ChartSpec {
  const kinds = ['dsp', 'bram18', 'uram', 'lut', 'ff'] as const;
  const names: Record<string, string> = { dsp: 'DSP', bram18: 'BRAM18', uram: 'URAM', lut: 'LUT', ff: 'FF' };
  const top = Math.max(100, ...bars.flatMap((b) => kinds.map((k) => b.pct[k] ?? 0)));
  return {
    type: 'bar',
    data: {
      labels: bars.map((b) => b.lines),
      datasets: kinds.map((k) => ({
        label: names[k], data: bars.map((b) => b.pct[k]), backgroundColor: RESOURCE_COLORS[k], borderWidth: 0, barPercentage: 0.9, categoryPercentage: 0.8,
      })),
    },
    options: {
      plugins: {
        ...title(`Resource utilisation — ${board}`, 'the highest-FPS feasible design of each model on this board, % of the resources available to kernels'),
        legend: { position: 'bottom', labels: { font: { size: 13 }, color: '#222' } },
      },
      scales: {
        x: axis('linear', 'model — design', { type: 'category', ticks: { color: '#222', font: { size: 12 }, autoSkip: false, maxRotation: 0 } }),
        y: axis('linear', '% of available', { min: 0, max: Math.ceil(top / 10) * 10 }),
      },
    },
    lic: { width: Math.max(900, 150 + 170 * bars.length), height: 640, logAxes: [] },
  };
}

/** Tick labels of a log axis: 1, 2 and 5 times a power of ten (only powers of ten over more than four decades). */
export function logTickLabel(value: number, decades: number): string {
  if (!(value > 0)) return '';
  const e = Math.floor(Math.log10(value) + 1e-9);
  const m = value / 10 ** e;
  const near = (k: number) => Math.abs(m - k) < 1e-6 * k;
  if (near(1) || (decades <= 4 && (near(2) || near(5)))) return Number(value.toPrecision(3)).toLocaleString('en-US');
  return '';
}

let chartModule: Promise<typeof import('chart.js')> | undefined;
async function loadChartJs() {
  if (!chartModule) {
    chartModule = import('chart.js').then((m) => {
      m.Chart.register(...m.registerables);
      m.Chart.defaults.font.family = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';
      m.Chart.defaults.font.size = 13;
      m.Chart.defaults.color = '#222';
      return m;
    });
  }
  return chartModule;
}

/** A plugin that paints the canvas white before anything else (PNG backgrounds are transparent otherwise). */
const whiteBackground = {
  id: 'licWhiteBackground',
  beforeDraw(chart: { ctx: CanvasRenderingContext2D; width: number; height: number }) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** The JSON configuration with the functions a log axis needs (tick labels), for chart.js. */
export function withCallbacks(spec: ChartSpec): Record<string, unknown> {
  const cfg = JSON.parse(JSON.stringify({ type: spec.type, data: spec.data, options: spec.options })) as {
    options: { scales: Record<string, { min?: number; max?: number; ticks?: Record<string, unknown> }> };
  };
  for (const ax of spec.lic.logAxes) {
    const s = cfg.options.scales[ax];
    const decades = s.min && s.max ? Math.log10(s.max / s.min) : 6;
    s.ticks = { ...s.ticks, callback: (v: number | string) => logTickLabel(Number(v), decades) };
  }
  return cfg;
}

/** Render a chart to PNG with chart.js on @napi-rs/canvas: white background, no animation, device pixel ratio 1. */
export async function renderPng(spec: ChartSpec): Promise<Buffer> {
  const [{ Chart }, { createCanvas }] = await Promise.all([loadChartJs(), import('@napi-rs/canvas')]);
  const canvas = createCanvas(spec.lic.width, spec.lic.height);
  const cfg = withCallbacks(spec) as { options: Record<string, unknown>; plugins?: unknown[] };
  cfg.options = { ...cfg.options, animation: false, responsive: false, maintainAspectRatio: false, devicePixelRatio: 1 };
  cfg.plugins = [whiteBackground];
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, cfg as never);
  try {
    // encode() runs on libuv's thread pool (toBuffer on the caller's thread), with the same encoder and bytes.
    return await canvas.encode('png');
  } finally {
    chart.destroy();
    // Free the pixel surface now: V8 does not see its size, so it would otherwise wait for a GC that never comes.
    canvas.width = 1;
    canvas.height = 1;
  }
}
