import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { planSweep } from '../../src/sweep/sweep.js';
import { loadSweep } from '../../src/sweep/config.js';
import { rng } from '../rng.js';
import { isOneLineError, runCli, type CliResult } from '../inproc.js';

/**
 * Issue 11's fuzz run as a test: seeded mutations of every kind of user file and of CLI arguments, each run
 * through the CLI in this process (no node start-up per case). Every outcome is classified; the test fails
 * on a thrown bug (stack trace), an exit code other than 0/2, an error of more than one line, a result with
 * a non-finite or negative number, or a file left behind. A hang cannot be timed without depending on wall
 * time; it is excluded by the loaders' step limits (src/workload/limits.ts) that these inputs run into.
 */
const SEED = 11;
const COUNTS = { model: 300, board: 200, point: 300, sweep: 200, args: 200 };
/** Mutated sweeps that stay valid are planned in full; only the first few are also run (a run takes ~1 s). */
const SWEEP_RUNS = 6;

const root = mkdtempSync(path.join(tmpdir(), 'lic-fuzz-'));
const MODEL = path.resolve('test/fixtures/emit/ops.json');
const r = rng(SEED);
let basePoint: Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const deep = (n: number): Json => { let x: Json = { name: 'r', op: 'relu' }; for (let i = 0; i < n; i++) x = { repeat: 1, var: `v${i}`, layers: [x] }; return x; };
const NASTY: Json[] = [
  0, -1, 1, 2, 0.5, -0.5, 3, 64, 1e308, -1e308, 1e9, 2 ** 53 + 2, 1e20, 1e-300, 4097,
  '', 'abc', 'N^100', 'N*N*N*N*N', '1e9', '-5', 'x'.repeat(300), 'a\nb\u0000c', '\u0007|`', '1/0', 'same', 'valid', 'all',
  'int8', 'engine', 'pipeline', '1280x720', '-5x5', '0x0', '99999999999999999999x1', 'image', 'g_a', 'zcu102',
  null, true, false, [], {}, [1, 2], [0, 0], ['a', 'a'], { repeat: 1e9, var: 'k', layers: [{ name: 'r{k}', op: 'relu' }] },
  { repeat: 'N*N*N', var: 'k', layers: [{ name: 'r{k}', op: 'relu' }] }, deep(40), deep(2000),
];

type Path = (string | number)[];
function allPaths(x: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(x)) x.forEach((v, i) => allPaths(v, [...at, i], out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) allPaths(v, [...at, k], out);
  return out;
}
const get = (x: Json, p: Path): Json => p.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], x);

/** One structural mutation of a JSON document (1-3 edits), or a byte-level one of its text. */
function mutate(doc: Json): Buffer {
  const x = JSON.parse(JSON.stringify(doc)) as Json;
  const edits = r.int(1, 3);
  for (let e = 0; e < edits; e++) {
    const ps = allPaths(x);
    const p = r.pick(ps);
    const parentPath = p.slice(0, -1);
    const key = p[p.length - 1];
    const parent = p.length ? get(x, parentPath) as Record<string | number, Json> : undefined;
    const node = get(x, p);
    const op = r.int(0, 9);
    if (!parent) continue;
    if (op <= 4) parent[key] = r.pick(NASTY);
    else if (op === 5) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (op === 6 && Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(node)));
    else if (op === 7 && typeof node === 'number') parent[key] = r.pick([node * 1e6, -node, 0, node + 0.5, node * 1e300, 2 ** 53 + 2]);
    else if (op === 8 && typeof node === 'string') parent[key] = r.pick([`${node}*1e9`, `${node}^50`, `${node}\n`, '', `-${node}`, `${node}x`]);
    else if (!Array.isArray(parent)) parent[`unknown_${e}`] = r.pick(NASTY);
  }
  let text = Buffer.from(JSON.stringify(x, null, r.int(0, 1) ? 2 : 0), 'utf8');
  if (r.next() < 0.12) {
    const at = r.int(0, text.length);
    const kind = r.int(0, 4);
    if (kind === 0) text = text.subarray(0, at);
    else if (kind === 1) text = Buffer.concat([text.subarray(0, at), Buffer.from([r.pick([0xff, 0xc3, 0xe2, 0x80, 0xed])]), text.subarray(at)]);
    else if (kind === 2) text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]);
    else if (kind === 3) text = Buffer.concat([text.subarray(0, at), Buffer.from('\n"\u0000'), text.subarray(at)]);
    else text = Buffer.from('[]');
  }
  return text;
}

interface Failure { kind: string; index: number; why: string; input: string }
const failures: Failure[] = [];
const outcomes: Record<string, Record<string, number>> = {};
const NULL_OK = new Set(['ctc', 'variant', 'serial', 'defaultVariant']);

/** Numbers in a JSON result: finite (JSON has no NaN, so a null where a number belongs) and non-negative. */
function badNumber(x: unknown, at = ''): string | undefined {
  if (typeof x === 'number') return Number.isFinite(x) && x >= 0 ? undefined : `${at} = ${x}`;
  if (x === null) return NULL_OK.has(at.split('.').pop()!) ? undefined : `${at} is null`;
  if (Array.isArray(x)) { for (let i = 0; i < x.length; i++) { const b = badNumber(x[i], `${at}[${i}]`); if (b) return b; } }
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) { const b = badNumber(v, `${at}.${k}`); if (b) return b; }
  return undefined;
}

/** Every entry under dir (relative), hidden ones included. */
function tree(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = path.relative(base, path.join(dir, e.name));
    return e.isDirectory() ? [`${rel}/`, ...tree(path.join(dir, e.name), base)] : [rel];
  });
}

/** Classify one run; `inputs` are the files the case wrote, `out` a folder a successful run may create. */
function classify(kind: string, index: number, input: string, res: CliResult, caseDir: string, inputs: string[], out?: string, json = true) {
  const fail = (why: string) => failures.push({ kind, index, why, input: input.slice(0, 400) });
  const tally = (outcomes[kind] ??= {});
  const label = res.code === 0 ? 'ok' : res.code === 2 ? 'user error' : String(res.code);
  tally[label] = (tally[label] ?? 0) + 1;
  if (res.code === 'bug') return fail(`stack trace: ${res.stderr.split('\n').slice(0, 4).join(' | ')}`);
  if (res.code !== 0 && res.code !== 2) return fail(`exit code ${res.code}`);
  if (res.code === 2 && !isOneLineError(res.stderr)) return fail(`not one line: ${JSON.stringify(res.stderr.slice(0, 300))}`);
  if (res.code === 0) {
    if (/\n\s+at /.test(res.stderr)) return fail(`stack on stderr: ${res.stderr.slice(0, 200)}`);
    if (/\b(NaN|Infinity)\b/.test(res.stdout)) return fail('NaN or Infinity printed');
    if (json) {
      let doc: unknown;
      try { doc = JSON.parse(res.stdout); } catch { return fail(`stdout is not JSON: ${res.stdout.slice(0, 100)}`); }
      const b = badNumber(doc);
      if (b) return fail(`non-finite or negative result ${b}`);
    }
  }
  const allowed = new Set(inputs);
  const left = tree(caseDir).filter((f) => !allowed.has(f) && !(res.code === 0 && out && (f === `${out}/` || f.startsWith(`${out}/`))));
  if (left.length) fail(`files left behind: ${left.slice(0, 5).join(', ')}`);
  const hidden = tree(caseDir).filter((f) => path.basename(f.replace(/\/$/, '')).startsWith('.'));
  if (hidden.length) fail(`hidden files left behind: ${hidden.slice(0, 5).join(', ')}`);
}

/** Reported only (no assertion depends on time): the slowest cases, to keep the fuzz run short. */
const slow: [number, string][] = [];
const timed = async (input: string, ...args: string[]) => {
  const t = performance.now();
  const res = await runCli(...args);
  slow.push([performance.now() - t, `${args[0]} ${input.slice(0, 160)}`]);
  return res;
};

let caseNo = 0;
const newCase = () => { const d = path.join(root, `c${caseNo++}`); mkdirSync(d); return d; };

beforeAll(async () => {
  const d = newCase();
  const res = await runCli('explore', '--model', MODEL, '--platform', 'zcu102', '--res', '32x32', '--save', path.join(d, 'p.json'));
  expect(res.code, res.stderr).toBe(0);
  basePoint = JSON.parse(readFileSync(path.join(d, 'p.json'), 'utf8'));
});

describe('issue 11 fuzz (seeded): every outcome is exit 0 with sound numbers, or one line and exit 2', () => {
  it('model files (describe, then evaluate of a point on the model)', async () => {
    const doc = JSON.parse(readFileSync(MODEL, 'utf8')) as Json;
    for (let i = 0; i < COUNTS.model; i++) {
      const d = newCase();
      const text = mutate(doc);
      writeFileSync(path.join(d, 'm.json'), text);
      const res = await timed(text.toString('latin1'), 'describe', path.join(d, 'm.json'), '--res', '32x32', '--json');
      classify('model', i, text.toString('latin1'), res, d, ['m.json']);
      if (res.code !== 0) continue;
      writeFileSync(path.join(d, 'p.json'), JSON.stringify({ ...basePoint, workload: { ...(basePoint.workload as object), model: path.join(d, 'm.json') } }));
      classify('model→evaluate', i, text.toString('latin1'), await runCli('evaluate', '--point', path.join(d, 'p.json'), '--json'), d, ['m.json', 'p.json']);
    }
  });

  it('board files (platform, then evaluate of a point on the board)', async () => {
    const doc = JSON.parse(readFileSync('platforms/zcu102.json', 'utf8')) as Json;
    for (let i = 0; i < COUNTS.board; i++) {
      const d = newCase();
      const text = mutate(doc);
      writeFileSync(path.join(d, 'b.json'), text);
      const res = await runCli('platform', path.join(d, 'b.json'), '--json');
      classify('board', i, text.toString('latin1'), res, d, ['b.json']);
      if (res.code !== 0) continue;
      writeFileSync(path.join(d, 'p.json'), JSON.stringify({ ...basePoint, platform: path.join(d, 'b.json') }));
      classify('board→evaluate', i, text.toString('latin1'), await runCli('evaluate', '--point', path.join(d, 'p.json'), '--json'), d, ['b.json', 'p.json']);
    }
  });

  it('design points (evaluate)', async () => {
    for (let i = 0; i < COUNTS.point; i++) {
      const d = newCase();
      const text = mutate(basePoint as Json);
      writeFileSync(path.join(d, 'p.json'), text);
      classify('point', i, text.toString('latin1'), await runCli('evaluate', '--point', path.join(d, 'p.json'), '--json'), d, ['p.json']);
    }
  });

  it('sweep files (every one planned; the first valid ones run into a report folder)', async () => {
    const doc: Json = { schema: 'lic-dse/sweep@1', models: [MODEL], platforms: ['zcu102'], precisions: ['int8'], res: ['32x32'], arch: ['engine'], path: ['encode'] };
    let runs = 0;
    for (let i = 0; i < COUNTS.sweep; i++) {
      const d = newCase();
      const text = mutate(doc);
      const file = path.join(d, 's.json');
      writeFileSync(file, text);
      let total = 0;
      try {
        total = planSweep(loadSweep(file)).total;
      } catch (e) {
        const msg = (e as Error).message;
        const res: CliResult = isUserError(e) ? { code: 2, stdout: '', stderr: `lic-dse: ${msg.replace(/\n/g, ' ')}\n` } : { code: 'bug', stdout: '', stderr: (e as Error).stack ?? msg };
        if (isUserError(e) && msg.includes('\n')) failures.push({ kind: 'sweep', index: i, why: 'multi-line message', input: msg });
        classify('sweep (plan)', i, text.toString('latin1'), res, d, ['s.json']);
        continue;
      }
      if (!(total >= 1 && total <= 64)) failures.push({ kind: 'sweep', index: i, why: `planned ${total} jobs`, input: text.toString('latin1') });
      if (runs >= SWEEP_RUNS || total > 4) continue;
      runs++;
      const res = await runCli('sweep', '--config', file, '--out', path.join(d, 'out'), '--jobs', '1', '--no-charts');
      classify('sweep (run)', i, text.toString('latin1'), res, d, ['s.json'], 'out', false);
    }
  });

  it('CLI arguments', async () => {
    const modelOpts = ['--model', MODEL];
    const pick = () => r.pick(['32x32', '-5x5', '0x0', 'abc', '', '99999999999999999999x1', '1e9', '-1', '0', 'NaN', 'both', 'weird', 'x'.repeat(300), 'int8', 'int3', 'zcu102', 'cost-coefficients', 'dsp=2', 'dsp=0.5', 'N=96', 'N=1e9', 'N=0', '1/3', '2/1', '/dev/zero', '.']);
    const options = ['--save', '--out', '--res', '--arch', '--path', '--pad', '--precision', '--clock', '--entropy-rate', '--caps', '--param', '--seed', '--variant', '--platform', '--jobs', '--shard', '--part', '--colour'];
    for (let i = 0; i < COUNTS.args; i++) {
      const d = newCase();
      const pointFile = path.join(d, 'p.json');
      writeFileSync(pointFile, JSON.stringify(basePoint));
      const cmd = r.pick(['describe', 'explore', 'evaluate', 'emit', 'platform', 'sweep', 'merge', 'models', 'bogus']);
      const base: Record<string, string[]> = {
        describe: ['describe', MODEL, '--res', '32x32', '--json'],
        explore: ['explore', ...modelOpts, '--platform', 'zcu102', '--res', '32x32', '--json'],
        evaluate: ['evaluate', '--point', pointFile, '--json'],
        emit: ['emit', '--point', pointFile, '--out', path.join(d, 'out')],
        platform: ['platform', 'zcu102', '--json'],
        sweep: ['sweep', '--models', MODEL, '--platforms', 'zcu102', '--precisions', 'int8', '--res', '32x32', '--arch', 'engine', '--path', 'encode', '--out', path.join(d, 'out'), '--jobs', '1', '--no-charts'],
        merge: ['merge', path.join(d, 'nowhere'), '--out', path.join(d, 'out')],
        models: ['models', '--json'],
        bogus: ['bogus'],
      };
      const args = [...base[cmd]];
      const edits = r.int(1, 2);
      for (let e = 0; e < edits; e++) {
        if (r.next() < 0.5) args.push(r.pick(options), pick());
        else { const k = r.int(1, args.length - 1); args[k] = pick(); }
      }
      // A valid explore or sweep at an unexpected resolution is real work: keep those runs small.
      if ((cmd === 'explore' || cmd === 'sweep' || cmd === 'emit') && args.some((a) => /^\d{3,}x|x\d{3,}$/.test(a))) continue;
      const res = await runCli(...args);
      const json = args.includes('--json') && !['emit', 'sweep', 'merge', 'bogus'].includes(cmd) && args[0] !== 'emit';
      classify('args', i, JSON.stringify(args), res, d, ['p.json'], 'out', json && res.stdout.trimStart().startsWith('{') || json && res.stdout.trimStart().startsWith('['));
    }
  });

  it('no failure in any class', () => {
    // eslint-disable-next-line no-console
    console.log('fuzz outcomes', JSON.stringify(outcomes));
    // eslint-disable-next-line no-console
    console.log('slowest cases', slow.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([ms, what]) => `${ms.toFixed(0)} ms ${what}`).join('\n'));
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
