import path from 'node:path';
import { z } from 'zod';
import { CoefficientsSchema, type CostTables } from '../platform/tables.js';
import { parseWith, readJson } from '../util/files.js';
import { withLinearModels } from './features.js';

const Stats = z.object({ mape: z.number(), r2: z.number().nullable(), maxAbsPctError: z.number() }).strict();

/** A calibration written by `lic-dse calibrate --out`: LUT/FF linear models refit from synthesis reports. */
export const CalibrationSchema = z.object({
  schema: z.literal('lic-dse/calibration@1'),
  description: z.string().optional(),
  board: z.string().nullable(),
  part: z.string().nullable(),
  lut: CoefficientsSchema.shape.lut,
  ff: CoefficientsSchema.shape.ff,
  /** BRAM18 the reports used beyond the estimate's buffers (interfaces, FIFOs), mean over the reports. Reported, not applied. */
  bram18Overhead: z.number(),
  fit: z.object({
    reports: z.array(z.object({ report: z.string(), version: z.string().nullable(), source: z.enum(['csynth', 'vivado']) }).strict()).min(1),
    fitted: z.array(z.string()),
    kept: z.array(z.string()),
    before: z.object({ lut: Stats, ff: Stats }).strict(),
    after: z.object({ lut: Stats, ff: Stats }).strict(),
  }).strict(),
}).strict();
export type Calibration = z.infer<typeof CalibrationSchema>;

export function loadCalibration(file: string): Calibration {
  return parseWith(CalibrationSchema, readJson(file), path.relative(process.cwd(), path.resolve(file)) || file);
}

/** Cost tables whose LUT/FF models are the calibration's (everything else unchanged). */
export function applyCalibration(t: CostTables, c: Calibration): CostTables {
  return withLinearModels(t, c.lut, c.ff);
}
