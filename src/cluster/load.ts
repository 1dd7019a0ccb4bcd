import path from 'node:path';
import { evaluate } from '../cost/evaluate.js';
import type { Estimate } from '../cost/types.js';
import { isUserError, UserError } from '../errors.js';
import { basePoint } from '../mapping/base-point.js';
import { contextFor, loadPoint, parseResString, workloadFor } from '../mapping/load.js';
import type { Point } from '../mapping/schema.js';
import { loadCostTables, loadPlatform } from '../platform/load.js';
import { parsePrecision } from '../platform/precision.js';
import { explore } from '../search/explore.js';
import { PACKAGE_ROOT, parseWith, readJson } from '../util/files.js';
import { loadModel } from '../workload/load.js';
import { resolveModel } from '../workload/resolve.js';
import type { BoardModel, ClusterModel, LinkModel, MasterModel, TileModel } from './model.js';
import { haloRows, receptiveField } from './receptive-field.js';
import { ClusterFileSchema, LinksFileSchema, MastersFileSchema, type ClusterFile, type LinkSpec, type MasterSpec } from './schema.js';

/**
 * The edge of the cluster model: read the cluster file, the link and master tables, and turn every board
 * into numbers through the per-board estimate (evaluate a design point, or explore a request) — the same
 * cost model `lic-dse evaluate` and `explore` use, so the cluster's figures follow the board's.
 */

export function loadLinks(): LinkSpec[] {
  return parseWith(LinksFileSchema, readJson(path.join(PACKAGE_ROOT, 'platforms', 'links.json')), 'platforms/links.json').links;
}

export function loadMasters(): MasterSpec[] {
  return parseWith(MastersFileSchema, readJson(path.join(PACKAGE_ROOT, 'platforms', 'masters.json')), 'platforms/masters.json').masters;
}

export function linkModel(l: LinkSpec): LinkModel {
  return { name: l.name, bytesPerSec: (l.rateGbps * 1e9 * l.efficiency) / 8, latencySec: l.latencyUs / 1e6 };
}

function pick<T extends { name: string }>(list: T[], name: string, kind: string, file: string, field: string): T {
  const x = list.find((l) => l.name === name);
  if (!x) throw new UserError(`unknown ${kind} "${name}" (allowed: ${list.map((l) => l.name).join(', ')})`, { file, field });
  return x;
}

/** Re-throw a user error from a nested load with the cluster file and the field it came from in front. */
function within<T>(file: string, field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isUserError(e) && !e.message.startsWith(file)) throw new UserError(e.message, { file, field });
    throw e;
  }
}

export interface LoadedBoard {
  entry: number;
  point: Point;
  estimate: Estimate;
  /** Chosen by explore (true) or read from a point file. */
  explored: boolean;
}

export interface LoadedCluster {
  file: string;
  spec: ClusterFile;
  model: ClusterModel;
  /** One per board entry (a count of identical boards shares it). */
  boards: LoadedBoard[];
}

export interface LoadOptions {
  /** Called before each slow step (an explore), for a progress line on a TTY. */
  progress?: (msg: string) => void;
}

export function loadCluster(fileArg: string, opts: LoadOptions = {}): LoadedCluster {
  const abs = path.resolve(fileArg);
  const file = path.relative(process.cwd(), abs) || fileArg;
  const spec = parseWith(ClusterFileSchema, readJson(abs), file);
  return buildCluster(spec, file, path.dirname(abs), opts);
}

/** The cluster of a parsed file; `dir` is where relative point paths are resolved. */
export function buildCluster(spec: ClusterFile, file: string, dir: string, opts: LoadOptions = {}): LoadedCluster {
  const links = loadLinks();
  const masters = loadMasters();
  const ms = pick(masters, spec.master.board, 'master board', file, 'master.board');
  const masterLink = linkModel(pick(links, spec.master.link ?? ms.link, 'link', file, spec.master.link ? 'master.link' : 'master.board'));
  const master: MasterModel = {
    name: ms.name, link: masterLink, cores: ms.cpu.cores, messageSec: ms.cpu.messageCpuUs / 1e6,
    entropySymbolsPerSec: ms.cpu.entropySymbolsPerSec, copyBytesPerSec: ms.cpu.copyBytesPerSec,
  };
  const w = spec.workload;
  if (spec.split.policy === 'tile' && w.path !== 'encode') {
    throw new UserError('tile parallelism is modelled for the encode path only (allowed with split.policy "tile": workload.path "encode")', { file, field: 'workload.path' });
  }
  const res = within(file, 'workload.res', () => parseResString(w.res));
  const resolved = within(file, 'workload.model', () => {
    const { file: mf, spec: ms2 } = loadModel(w.model);
    return resolveModel(ms2, mf, { variant: w.variant, params: w.params });
  });

  const tables = loadCostTables();
  const loaded: LoadedBoard[] = [];
  const boards: BoardModel[] = [];
  const estimateAt = new Map<string, Estimate>();
  spec.boards.forEach((entry, i) => {
    const field = `boards[${i}]`;
    let point: Point;
    let explored = false;
    if ('point' in entry) {
      point = within(file, `${field}.point`, () => loadPoint(path.resolve(dir, entry.point)));
      const pv = within(file, `${field}.point`, () => {
        const { file: mf, spec: mspec } = loadModel(point.workload.model);
        return resolveModel(mspec, mf, { variant: point.workload.variant, params: point.workload.params });
      });
      // Compared as resolved (default variant filled in), so "q3" and an omitted default variant agree.
      const same = pv.name === resolved.name && pv.variant === resolved.variant && JSON.stringify(pv.params) === JSON.stringify(resolved.params)
        && point.workload.res === w.res && point.workload.path === w.path && point.workload.pad === w.pad;
      if (!same) {
        throw new UserError(`the point's workload (${point.workload.model}${pv.variant ? ` ${pv.variant}` : ''} at ${point.workload.res}, ${point.workload.path}, pad ${point.workload.pad}) is not the cluster's (${w.model}${resolved.variant ? ` ${resolved.variant}` : ''} at ${w.res}, ${w.path}, pad ${w.pad})`, { file, field: `${field}.point` });
      }
    } else {
      const x = entry.explore;
      opts.progress?.(`exploring ${x.platform} (${x.arch}, ${x.precision}) for ${w.model} at ${w.res}`);
      const base = within(file, `${field}.explore`, () => basePoint({
        model: w.model, variant: w.variant, params: w.params, platform: x.platform, precision: x.precision, res: w.res, pad: w.pad,
        arch: x.arch, path: w.path, clockMHz: x.clockMHz, caps: x.caps, entropySymbolsPerSec: x.entropySymbolsPerSec,
      }, `${file}: ${field}.explore`));
      const ctx = within(file, `${field}.explore.platform`, () => contextFor(base));
      point = explore(ctx.workload, ctx.platform, ctx.tables, base).point;
      explored = true;
    }
    const platform = within(file, `${field}`, () => loadPlatform(point.platform));
    const est = within(file, field, () => evaluate(workloadFor(point.workload), platform, point, tables));
    loaded.push({ entry: i, point, estimate: est, explored });
    const link = linkModel(pick(links, entry.link ?? (spec.master.link ?? ms.link), 'link', file, entry.link ? `${field}.link` : 'master.link'));
    const codes = spec.entropy === 'board';
    const mtbfHours = entry.mtbfHours ?? spec.reliability?.mtbfHours;
    const mttrHours = entry.mttrHours ?? spec.reliability?.mttrHours;
    // A strip's timing: the same design point evaluated at the strip's size (memoised per size).
    const tile = (width: number, rows: number) => {
      const key = `${i}|${width}x${rows}`;
      let e = estimateAt.get(key);
      if (!e) {
        const p: Point = { ...point, workload: { ...point.workload, res: `${width}x${rows}` } };
        e = evaluate(workloadFor(p.workload), platform, p, tables);
        estimateAt.set(key, e);
      }
      return timing(e, codes);
    };
    const t = timing(est, codes);
    for (let k = 0; k < entry.count; k++) {
      const id = `${entry.name ?? platform.name}#${boards.length + 1}`;
      boards.push({ id, platform: platform.name, link, periodSec: t.periodSec, latencySec: t.latencySec, mtbfHours, mttrHours, tile });
    }
  });

  const est0 = loaded[0].estimate;
  const pixels = res.width * res.height;
  const symbols = est0.entropy.symbols;
  const latentBytes = Math.ceil(parsePrecision(loaded[0].point.precision).actBits / 8);
  const outBytes = spec.entropy === 'board' ? Math.ceil((pixels * w.bitsPerPixel) / 8) : symbols * latentBytes;
  const inBytes = pixels * w.bytesPerPixel;
  // Strips: the split when the policy is "tile"; otherwise what tile parallelism would give (encode path only).
  let tile: TileModel | undefined;
  const halo = spec.split.halo;
  if (w.path === 'encode') {
    const rf = typeof halo === 'number' ? 2 * halo + 1 : receptiveField(resolved, w.path, halo);
    if (!Number.isFinite(rf) && spec.split.policy === 'tile') {
      throw new UserError(`${w.model} has a layer that sees the whole image (fully connected): strips cannot be coded independently (allowed: split.policy "frame")`, { file, field: 'split.policy' });
    }
    if (Number.isFinite(rf)) {
      const rows = typeof halo === 'number' ? halo : haloRows(rf, resolved.padMultiple);
      tile = { haloRows: rows, rowMultiple: resolved.padMultiple, receptiveField: rf, haloFrom: typeof halo === 'number' ? 'given' : halo };
    }
  }
  const model: ClusterModel = {
    name: spec.name, master, boards,
    frame: { width: res.width, height: res.height, inBytes, outBytes, symbols, inBytesPerPixel: w.bytesPerPixel, outBytesPerPixel: outBytes / pixels },
    entropy: spec.entropy, split: spec.split.policy, tile,
  };
  return { file, spec, model, boards: loaded };
}

/** Period and latency of a board from its estimate: with the entropy coder when the board codes, without when the master does. */
function timing(e: Estimate, boardCodes: boolean) {
  if (boardCodes) return { periodSec: 1 / e.fps, latencySec: e.latencyMs / 1e3 };
  return { periodSec: 1 / e.acceleratorFps, latencySec: e.latencyMs / 1e3 - e.entropy.seconds };
}
