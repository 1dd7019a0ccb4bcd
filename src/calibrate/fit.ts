import { Matrix, solve } from 'ml-matrix';

export interface FitStats {
  /** Mean absolute percentage error over the reports. */
  mape: number;
  /** Coefficient of determination (1 − SS_res/SS_tot); null with fewer than two distinct observations. */
  r2: number | null;
  maxAbsPctError: number;
}

export function fitStats(predicted: number[], observed: number[]): FitStats {
  const n = observed.length;
  const pct = observed.map((y, k) => (y === 0 ? 0 : Math.abs((predicted[k] - y) / y) * 100));
  const mean = observed.reduce((s, y) => s + y, 0) / n;
  const ssTot = observed.reduce((s, y) => s + (y - mean) ** 2, 0);
  const ssRes = observed.reduce((s, y, k) => s + (y - predicted[k]) ** 2, 0);
  return { mape: pct.reduce((s, p) => s + p, 0) / n, r2: ssTot > 0 ? 1 - ssRes / ssTot : null, maxAbsPctError: Math.max(...pct) };
}

/**
 * Least squares y ≈ offset + X·θ, pulled towards the prior θ₀ along directions the data cannot tell apart
 * (columns that never vary, or vary together: two int8 designs cannot separate the accumulator-bit and
 * operand-bit LUT costs). Columns are scaled to unit norm, and a ridge of weight `lambda` (relative to XᵀX's
 * trace) anchors each coefficient to its prior; with well-spread reports the data dominates.
 */
export function ridgeToPrior(X: number[][], y: number[], offset: number[], prior: number[], lambda = 1e-8): number[] {
  const n = X.length;
  const p = prior.length;
  const scale = Array.from({ length: p }, (_, j) => Math.sqrt(X.reduce((s, r) => s + r[j] * r[j], 0)) || 1);
  const Xs = new Matrix(X.map((r) => r.map((v, j) => v / scale[j])));
  const ys = Matrix.columnVector(y.map((v, k) => v - offset[k]));
  const XtX = Xs.transpose().mmul(Xs);
  let trace = 0;
  for (let j = 0; j < p; j++) trace += XtX.get(j, j);
  const lam = lambda * Math.max(trace, 1) + 1e-12;
  const A = XtX.clone();
  const b = Xs.transpose().mmul(ys);
  for (let j = 0; j < p; j++) {
    A.set(j, j, A.get(j, j) + lam);
    b.set(j, 0, b.get(j, 0) + lam * prior[j] * scale[j]);
  }
  const thetaScaled = solve(A, b);
  return Array.from({ length: p }, (_, j) => thetaScaled.get(j, 0) / scale[j]);
}
