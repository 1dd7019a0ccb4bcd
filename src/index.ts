/**
 * lic-dse as a library, for scripts and notebooks (`npx tsx my-study.ts`): load models and boards,
 * describe a workload, evaluate a design point, explore the design space, run sweeps and write reports.
 *
 * ```ts
 * import { exploreDesign, textTable } from 'lic-dse';
 * const r = exploreDesign({ model: 'mbt2018-mean', platform: 'zcu102', precision: 'int8', res: '1280x720', arch: 'engine', path: 'encode' });
 * console.log(r.best.fps, r.best.bottleneck);
 * ```
 * Everything here is pure or writes only where it is told to; a user's mistake throws `UserError`.
 * @packageDocumentation
 */
import path from 'node:path';
import { basePoint, type ExploreRequest } from './mapping/base-point.js';
import { contextFor } from './mapping/load.js';
import { parsePrecision } from './platform/precision.js';
import { explore, type ExploreResult } from './search/explore.js';
import { describeWorkload, type Description } from './workload/describe.js';
import { loadModel } from './workload/load.js';
import { resolveModel } from './workload/resolve.js';
import { inferWorkload } from './workload/shapes.js';
import type { PadPolicy, Workload } from './workload/types.js';
import { DEFAULT_RES, parseResString } from './mapping/load.js';
import { readCsvRecords } from './report/csv.js';
import { LAYER_COLUMNS, PARETO_COLUMNS, POINT_COLUMNS, type LayerRecord, type ParetoRecord, type PointRecord } from './report/columns.js';

// Errors
export { UserError, isUserError } from './errors.js';

// Workloads: the model zoo, model files, shapes at a resolution
export { loadModel, parseModel, zooNames, type LoadedModel } from './workload/load.js';
export { resolveModel, type VariantChoice } from './workload/resolve.js';
export { inferWorkload, workloadTotals, pathLayers, type Resolution, type WorkloadTotals } from './workload/shapes.js';
export { describeWorkload, type Description, type DescribeLayer } from './workload/describe.js';
export type { Workload, WorkloadLayer, PadPolicy } from './workload/types.js';

// ONNX import (a PyTorch-exported student → a model descriptor)
export { importOnnx, modelIdFrom, type ImportOptions, type ImportResult } from './workload/onnx/index.js';

// Boards and cost tables
export { loadPlatform, platformNames, loadCostTables } from './platform/load.js';
export { parsePrecision, type Precision } from './platform/precision.js';
export { RESOURCE_KINDS, type Platform, type ResourceKind } from './platform/schema.js';
export type { CostTables } from './platform/tables.js';

// Design points, the cost model and the search
export { PointSchema, type Point, type CapsSpec, type EngineSpec, type PipelineSpec } from './mapping/schema.js';
export { basePoint, type ExploreRequest } from './mapping/base-point.js';
export { contextFor, loadPoint, pointJson, workloadFor, writeAtomic, DEFAULT_RES } from './mapping/load.js';
export { evaluate } from './cost/evaluate.js';
export type { Estimate, LayerEstimate, Bound, Offload, CpuSubgraph } from './cost/types.js';
export { evaluateDpu, dpuConfig, dpuResources, offloadLines, type DpuConfig } from './cost/dpu.js';
export { evaluateGpu } from './cost/gpu.js';
export type { Baselines, DpuCatalogue, GpuCatalogue, CpuModel } from './platform/baselines.js';
export { explore, type ExploreResult, type ParetoPoint } from './search/explore.js';

// Calibration from Vitis HLS / Vivado reports
export { parseCsynthXml, type CsynthReport } from './calibrate/csynth.js';
export { parseUtilization, type UtilizationReport } from './calibrate/vivado.js';
export { findReports, type FoundReport } from './calibrate/discover.js';
export { pairReports, fitCoefficients, calibrationFile, comparisonRows, type Paired, type FitResult as CalibrationFit, type TableRow } from './calibrate/index.js';
export { CalibrationSchema, loadCalibration, applyCalibration, type Calibration } from './calibrate/calib-file.js';

// Sweeps
export { SweepFileSchema, DEFAULT_LISTS, resolveSweep, loadSweep, sweepJson, type SweepFile, type ResolvedSweep, type SweepModel } from './sweep/config.js';
export { jobAt, jobCount, jobLabel, jobRequest, parseShard, shardIndices, type Job, type Shard } from './sweep/jobs.js';
export { runSweep, planSweep, SweepAborted, type SweepOptions, type SweepSummary } from './sweep/sweep.js';
export { mergeShards, type MergeOptions, type MergeSummary } from './sweep/merge.js';

// Reports
export { POINT_COLUMNS, LAYER_COLUMNS, PARETO_COLUMNS, type Column, type PointRecord, type LayerRecord, type ParetoRecord } from './report/columns.js';
export { CsvWriter, readCsvRecords, readCsvFields } from './report/csv.js';
export { pointRecord, layerRecords, paretoRecords, errorRecord, designSummary, keyFor, reportRecords, type PointKey } from './report/rows.js';
export { rooflineSpec, layerCyclesSpec, paretoSpec, utilisationSpec, renderPng, fpsDspFront, type ChartSpec, type BoardPoint } from './report/charts.js';
export { writeReport, type ReportOptions } from './report/report.js';
export { writeHtml } from './report/html.js';
export { textTable, fmtNum, si } from './report/table.js';
export { comparisonMarkdown } from './report/compare.js';

// Multi-board clusters: closed form, availability, tile parallelism, discrete-event simulation, report.
export { loadCluster, buildCluster, loadLinks, loadMasters, type LoadedCluster } from './cluster/load.js';
export { ClusterFileSchema, type ClusterFile } from './cluster/schema.js';
export type { ClusterModel, BoardModel, MasterModel, LinkModel, FrameModel } from './cluster/model.js';
export { clusterThroughput, degradation, survivors, saturatedLatencyMs, type Throughput } from './cluster/throughput.js';
export { availability, boardsNeeded, boardAvailability, type Availability, type BoardsNeeded } from './cluster/availability.js';
export { tileLatency, tileLatencyCurve, type TileResult } from './cluster/tiles.js';
export { receptiveField, haloRows } from './cluster/receptive-field.js';
export { simulate, type SimulationOptions, type SimulationResult } from './cluster/simulate.js';
export { analyseCluster, type ClusterReport, type AnalyseOptions } from './cluster/analyse.js';
export { writeClusterReport } from './report/cluster.js';

// HLS emission: a Vitis HLS project (kernel, golden testbench, Tcl, cfg, Makefile) for a design point.
export { emitProject, type EmitOptions, type EmitResult } from './emit/index.js';

/** The workload of a zoo model (or model file) at a resolution: layers with shapes, MACs and bytes. */
export function workload(model: string, opts: { variant?: string; params?: Record<string, number>; res?: string; pad?: PadPolicy } = {}): Workload {
  const { file, spec } = loadModel(model);
  return inferWorkload(resolveModel(spec, file, { variant: opts.variant, params: opts.params }), parseResString(opts.res ?? DEFAULT_RES), opts.pad ?? 'stride');
}

/** What `lic-dse describe` prints: per-layer shapes, MACs, parameters and bytes, and the totals per part and path. */
export function describe(model: string, opts: { variant?: string; params?: Record<string, number>; res?: string; pad?: PadPolicy; precision?: string } = {}): Description {
  return describeWorkload(workload(model, opts), parsePrecision(opts.precision ?? 'int8'));
}

/**
 * Search the best design for one request (model, board, precision, resolution, template, path) — the
 * library form of `lic-dse explore`. `best` is the full estimate, `point` the design point to save or edit.
 */
export function exploreDesign(req: ExploreRequest): ExploreResult {
  const base = basePoint(req, 'exploreDesign');
  const { workload: w, platform, tables } = contextFor(base);
  return explore(w, platform, tables, base);
}

/** Read a report's points.csv back as typed records (streaming). */
export function readPoints(dir: string): AsyncGenerator<PointRecord> {
  return readCsvRecords<PointRecord>(path.join(dir, 'points.csv'), POINT_COLUMNS);
}

/** Read a report's layers.csv back as typed records (streaming). */
export function readLayers(dir: string): AsyncGenerator<LayerRecord> {
  return readCsvRecords<LayerRecord>(path.join(dir, 'layers.csv'), LAYER_COLUMNS);
}

/** Read a report's pareto.csv back as typed records (streaming). */
export function readPareto(dir: string): AsyncGenerator<ParetoRecord> {
  return readCsvRecords<ParetoRecord>(path.join(dir, 'pareto.csv'), PARETO_COLUMNS);
}

/** Collect an async iterable into an array (for small reports in scripts). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

// Students and fitting a model to a board (issue 12).
export { studentFamily, makeStudent, widthLadder, checkStudent, channelParams, GDN_VARIANTS, type StudentFamily, type StudentOptions, type Student, type Rung, type GdnVariant } from './workload/student.js';
export { fit, fitContext, monotoneProbes, type FitRequest, type FitResult, type RungResult, type PathResult } from './search/fit.js';
export { planTemplates, planFor, planBits, byPreference, endLayers, type PlanTemplate, type Plan, type PlanShape } from './search/precision-plan.js';
export { widthCurve, parseWidthRange, type WidthCurveRow } from './search/width-curve.js';
export { normResources, NORM_TABLES } from './cost/norm.js';
