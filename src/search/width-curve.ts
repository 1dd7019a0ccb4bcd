import { UserError } from '../errors.js';
import { makeStudent } from '../workload/student.js';
import { fitContext, paramText, type FitRequest } from './fit.js';

/** One student on one board, path and plan: what a width sweep writes (one CSV row). */
export interface WidthCurveRow {
  board: string;
  path: string;
  plan: string;
  width: number;
  widths: string;
  params: number;
  macs: number;
  arch: string;
  fps: number;
  meets: boolean;
  dsp: number;
  dspAvailable: number;
  bram18: number;
  bram18Available: number;
  bits: number;
  bottleneck: string;
}

/** "0.25:1:0.05" → 0.25, 0.3, … 1 (rounded to 1e-9 so that the grid is exact). */
export function parseWidthRange(s: string): number[] {
  const m = /^([0-9.]+):([0-9.]+):([0-9.]+)$/.exec(s.trim());
  const [a, b, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  if (!(a > 0 && b >= a && b <= 4 && d > 0)) throw new UserError(`"${s}" is not FROM:TO:STEP with 0 < FROM ≤ TO ≤ 4 and STEP > 0 (e.g. 0.25:1:0.05)`, { field: 'sweep-width' });
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const w = Number((a + k * d).toFixed(9));
    if (w > b + 1e-9) break;
    out.push(w);
  }
  return out;
}

/**
 * Width → FPS / DSP / BRAM of the best design (over the templates) of each student of a grid, per plan and
 * path, on one board. Every point is explored (no bound shortcut): the curve shows where the board stops
 * being real time.
 */
export function widthCurve(req: FitRequest, widths: number[]): WidthCurveRow[] {
  const rows: WidthCurveRow[] = [];
  const ctxs = req.plans.map((t) => ({ t, ctx: fitContext({ ...req, plans: [t] }) }));
  widths.forEach((w, i) => {
    req.progress?.(`${req.platform.name} width ${w} (${i + 1}/${widths.length})`);
    const s = makeStudent(req.family, w);
    const rung = { ...s, from: w, to: w };
    for (const { t, ctx } of ctxs) {
      const r = ctx.evalRung(i, rung, 'preferred', true);
      for (const p of r.paths) {
        rows.push({
          board: req.platform.name, path: p.path, plan: t.name, width: w, widths: paramText(req.family, rung),
          params: r.params, macs: ctx.workloadOf(rung).layers.filter((l) => l[p.path]).reduce((a, l) => a + l.macs, 0),
          arch: p.arch ?? '', fps: p.fps, meets: p.fps >= req.fps, dsp: p.dsp ?? 0, dspAvailable: req.platform.available.dsp,
          bram18: p.bram18 ?? 0, bram18Available: req.platform.available.bram18, bits: p.plan.bits, bottleneck: p.bottleneck,
        });
      }
    }
  });
  return rows;
}
