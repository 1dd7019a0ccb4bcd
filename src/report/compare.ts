import type { PointRecord } from './columns.js';

/** Row order of the comparison: the baseline a user would pick first, then the custom designs, then the GPU. */
const TARGETS: { arch: string; label: string }[] = [
  { arch: 'dpu', label: 'Vitis AI DPU' },
  { arch: 'engine', label: 'engine' },
  { arch: 'pipeline', label: 'pipeline' },
  { arch: 'gpu', label: 'GPU (roofline)' },
];

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
const firstSeen = (xs: string[]) => [...new Set(xs)];

function cell(p: PointRecord | undefined): string {
  if (!p) return '';
  if (p.status !== 'ok' || p.fps === null) return 'error';
  const gpu = p.arch === 'gpu' ? /^GPU (\S+)/.exec(p.design)?.[1] : undefined;
  return `${fmt(p.fps)}${p.feasible === false ? ' (over cap)' : ''}${gpu ? ` (${gpu})` : ''}`;
}

/**
 * The comparison table of a sweep (points.csv records): end-to-end FPS of every target for each model,
 * encode and decode, one column pair per board; then what the DPU leaves to the CPU, and each DPU's
 * bottleneck. Markdown, deterministic (sweep order of models and boards).
 */
export function comparisonMarkdown(points: PointRecord[]): string {
  const key = (p: PointRecord) => `${p.model}${p.variant ? ` ${p.variant}` : ''}`;
  const models = firstSeen(points.map(key));
  const boards = firstSeen(points.map((p) => p.platform));
  const precisions = firstSeen(points.map((p) => `${p.precision} ${p.res}`));
  const find = (m: string, a: string, b: string, path: string, pr: string) =>
    points.find((p) => key(p) === m && p.arch === a && p.platform === b && p.path === path && `${p.precision} ${p.res}` === pr);
  const out: string[] = [];
  for (const pr of precisions) {
    out.push(`End-to-end FPS (accelerator and entropy coder), ${pr}:`, '');
    out.push(`| model | target | ${boards.flatMap((b) => [`${b} encode`, `${b} decode`]).join(' | ')} |`);
    out.push(`|---|---|${boards.map(() => '---:|---:|').join('')}`);
    for (const m of models) {
      for (const t of TARGETS) {
        const cells = boards.flatMap((b) => ['encode', 'decode'].map((path) => cell(find(m, t.arch, b, path, pr))));
        if (cells.every((c) => c === '')) continue;
        out.push(`| ${m} | ${t.label} | ${cells.join(' | ')} |`);
      }
    }
    out.push('');
    const dpuRows = points.filter((p) => p.arch === 'dpu' && `${p.precision} ${p.res}` === pr && p.status === 'ok');
    if (dpuRows.length) {
      out.push(`What the DPU leaves to the CPU (${pr}), and what limits it:`, '');
      out.push('| model | path | board | DPU | CPU subgraphs (layers) | CPU ms/frame | bottleneck |', '|---|---|---|---|---|---:|---|');
      for (const p of dpuRows) {
        out.push(`| ${key(p)} | ${p.path} | ${p.platform} | ${p.design.replace(/, \d+ CPU subgraphs.*$/, '')} | ${p.cpuSubgraphs || 'none'} | ${p.cpuMs === null ? '' : fmt(p.cpuMs)} | ${p.bottleneck} |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
