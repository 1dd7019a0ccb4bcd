import type { WidthCurveRow } from '../search/width-curve.js';
import { fmt, type ChartSpec } from './charts.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/**
 * Width → FPS of one board (log axis, one line per path × plan) with the target as a dashed line, and the
 * DSP and BRAM18 the best design uses (% of the board, right axis): where the board stops being real time.
 */
export function widthCurveSpec(board: string, model: string, rows: WidthCurveRow[], target: number): ChartSpec {
  const series = [...new Set(rows.map((r) => `${r.path} ${r.plan}`))];
  const fpss = rows.map((r) => r.fps).filter((x) => x > 0);
  const ymin = 10 ** Math.floor(Math.log10(Math.min(target, ...fpss)));
  const ymax = 10 ** Math.ceil(Math.log10(Math.max(target, ...fpss) * 1.05));
  const xs = rows.map((r) => r.width);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  // A round tick step (at most 16 ticks) fine enough that 0.25 is not labelled 0.3 (chart.js formats ticks to the step).
  const step = [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1].find((d) => (x1 - x0) / d <= 16) ?? 1;
  const datasets: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const rs = rows.filter((r) => `${r.path} ${r.plan}` === s && r.fps > 0);
    const color = PALETTE[i % PALETTE.length];
    datasets.push({ label: `FPS ${s}`, data: rs.map((r) => ({ x: r.width, y: r.fps })), showLine: true, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 3, yAxisID: 'y' });
    datasets.push({ label: `DSP % ${s}`, data: rs.map((r) => ({ x: r.width, y: (100 * r.dsp) / r.dspAvailable })), showLine: true, borderColor: color, backgroundColor: color, borderDash: [2, 3], borderWidth: 1.2, pointRadius: 0, yAxisID: 'y1' });
    datasets.push({ label: `BRAM18 % ${s}`, data: rs.map((r) => ({ x: r.width, y: (100 * r.bram18) / r.bram18Available })), showLine: true, borderColor: color, backgroundColor: color, borderDash: [8, 4], borderWidth: 1.2, pointRadius: 0, yAxisID: 'y1' });
  });
  datasets.push({ label: `target ${fmt(target)} FPS`, data: [{ x: x0, y: target }, { x: x1, y: target }], showLine: true, borderColor: '#d62728', backgroundColor: '#d62728', borderDash: [6, 6], borderWidth: 2, pointRadius: 0, yAxisID: 'y' });
  const axis = (label: string, extra: Record<string, unknown>) => ({ title: { display: true, text: label, font: { size: 14 }, color: '#111' }, ticks: { color: '#222' }, grid: { color: '#e3e3e3' }, ...extra });
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      plugins: {
        title: { display: true, text: `${model} students on ${board}: FPS against width`, font: { size: 17, weight: 'bold' }, color: '#111' },
        subtitle: { display: true, text: 'best design per student (engine or pipeline); solid: FPS (left, log); dotted: DSP %, dashed: BRAM18 % (right)', font: { size: 13 }, color: '#333' },
        legend: { position: 'bottom', labels: { font: { size: 12 }, color: '#222' } },
      },
      scales: {
        x: axis('width multiplier', { type: 'linear', min: x0, max: x1, ticks: { color: '#222', stepSize: step } }),
        y: axis('frames per second (log)', { type: 'logarithmic', min: ymin, max: ymax }),
        y1: axis('% of the board', { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } }),
      },
    },
    lic: { width: 1000, height: 640, logAxes: ['y'] },
  };
}
