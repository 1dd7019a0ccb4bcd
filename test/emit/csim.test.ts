import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../src/mapping/load.js';
import type { Point } from '../../src/mapping/schema.js';
import { checkPerf, checkPipelinePerf, type PerfJson } from './perf-check.js';
import { compileAndRun, emitPoint, haveTool, limiter, pool, pointFor, stdPch, tmp, type Case, type SimResult } from './helpers.js';
import { runAsync } from '../spawn.js';

// The testbenches run for well under a second, so the builds are the cost, and -O0 builds a pipeline in about half
// the CPU of -O1. The flow-dependent warnings -O1 adds (-Wmaybe-uninitialized and kin) are still checked, with
// -Werror, on both templates: the pragma builds below and `make sim` build at -O1.
/**
 * Every project, with the counting shim (-DLIC_PERF): one build checks bit-exactness and writes perf.json. It is
 * one translation unit (compileAndRun's `unity`); separate units are still built for every pipeline (THREADED) and,
 * for the engine, by the pragma builds below, perf-full.test.ts and project.test.ts.
 */
const SEQUENTIAL = ['-std=c++17', '-Wall', '-Werror', '-O0', '-DLIC_PERF'];
/** Pipelines again, one thread per stage and every FIFO bounded to its emitted depth (the deadlock check). */
const THREADED = ['-std=c++17', '-Wall', '-Werror', '-O0', '-pthread', '-DLIC_THREADED_DATAFLOW'];

/**
 * Every zoo family's convolutional path (analysis at encode, synthesis at decode) on both templates, at 64×64 with
 * reduced channels, plus a fixture with every supported op and the lowering/port/parallelism variants: each
 * emitted project must build with g++ -std=c++17 -Wall -Werror and its testbench must pass bit-exactly against
 * the TypeScript reference.
 */

const ZOO: [string, Record<string, number>][] = [
  ['balle2017', { N: 8 }],
  ['bmshj2018-factorized', { N: 8, M: 12 }],
  ['bmshj2018-hyperprior', { N: 8, M: 12 }],
  ['mbt2018-mean', { N: 8, M: 12 }],
  ['mbt2018', { N: 8, M: 12 }],
  ['ms2020', { N: 8, M: 20 }],
  ['cheng2020-anchor', { N: 8 }],
];
const OPS = 'test/fixtures/emit/ops.json';

const taps = (p: Point, id: string) => {
  const l = contextFor(p).workload.layers.find((x) => `${x.part}/${x.name}` === id);
  return l?.layer.kernel ? l.layer.kernel[0] * l.layer.kernel[1] : 1;
};
/** Odd parallelism, kernel-tap unroll and weights from DRAM on every pipeline stage that has taps. */
const streamed = (p: Point) => {
  for (const [id, l] of Object.entries(p.pipeline!.layers)) {
    l.weights = 'stream';
    l.reuse = 3;
    l.fifoDepth = 5;
    if (taps(p, id) > 1) l.pk = Math.min(3, taps(p, id));
  }
};
/** Odd output/spatial unroll on 64-bit beats (8 channels), URAM buffers. */
const oddEngine = (p: Point) => {
  Object.assign(p.engine!, {
    pif: 2, pof: 5, poy: 3, pox: 2, tif: 8, tof: 40, inBufDepth: 8192, outBufDepth: 8192, wBufDepth: 8192, layers: {},
    ports: { read: 1, weight: 1, write: 1, widthBits: 64 }, weightsInUram: true, actInUram: true,
  });
};

const cases: Case[] = [];
for (const [model, params] of ZOO) {
  for (const arch of ['engine', 'pipeline'] as const) {
    for (const p of ['encode', 'decode'] as const) cases.push({ name: `${model} ${p} ${arch}`, model, params, arch, path: p });
  }
}
for (const arch of ['engine', 'pipeline'] as const) {
  for (const p of ['encode', 'decode'] as const) cases.push({ name: `every op ${p} ${arch}`, model: OPS, arch, path: p, res: '24x16' });
}
cases.push(
  { name: 'zero-insert deconv, engine (one layer sub-pixel)', model: 'bmshj2018-hyperprior', params: { N: 8, M: 12 }, arch: 'engine', path: 'decode', mutate: (p) => {
    p.engine!.deconv = 'zero-insert';
    // The searched tiles were for sub-pixel geometry; under zero-insert the others are the emitter's own fit.
    p.engine!.layers = { 'g_s/2': { ...p.engine!.layers['g_s/2'], deconv: 'subpixel' } };
  } },
  { name: 'zero-insert deconv, engine, every op', model: OPS, arch: 'engine', path: 'decode', res: '24x16', mutate: (p) => { p.engine!.deconv = 'zero-insert'; p.engine!.layers = {}; } },
  { name: 'zero-insert deconv, pipeline', model: 'balle2017', params: { N: 8 }, arch: 'pipeline', path: 'decode', mutate: (p) => { p.pipeline!.deconv = 'zero-insert'; } },
  { name: 'zero-insert deconv, pipeline, every op', model: OPS, arch: 'pipeline', path: 'decode', res: '24x16', mutate: (p) => { p.pipeline!.deconv = 'zero-insert'; } },
  { name: 'odd unroll, 64-bit beats, URAM buffers, engine encode', model: OPS, arch: 'engine', path: 'encode', res: '24x16', mutate: oddEngine },
  { name: 'odd unroll, 64-bit beats, URAM buffers, engine decode', model: 'cheng2020-anchor', params: { N: 8 }, arch: 'engine', path: 'decode', mutate: oddEngine },
  { name: 'streamed weights, kernel unroll, pipeline encode', model: OPS, arch: 'pipeline', path: 'encode', res: '24x16', mutate: streamed },
  { name: 'streamed weights, kernel unroll, pipeline decode', model: 'cheng2020-anchor', params: { N: 8 }, arch: 'pipeline', path: 'decode', mutate: streamed },
  { name: 'TensorFlow "same" padding at 50x38, engine', model: 'balle2017', params: { N: 8 }, arch: 'engine', path: 'decode', res: '50x38', mutate: (p) => { p.workload.pad = 'same'; p.engine!.layers = {}; } },
  { name: 'hyper-analysis h_a (abs, conv, relu), engine', model: 'bmshj2018-hyperprior', params: { N: 8, M: 12 }, arch: 'engine', path: 'encode', part: 'h_a' },
  { name: 'hyper-analysis h_a (abs, conv, relu), pipeline', model: 'bmshj2018-hyperprior', params: { N: 8, M: 12 }, arch: 'pipeline', path: 'encode', part: 'h_a' },
  { name: 'hyper-synthesis h_s (deconv, leaky ReLU, conv), pipeline', model: 'mbt2018-mean', params: { N: 8, M: 12 }, arch: 'pipeline', path: 'decode', part: 'h_s' },
  { name: 'TensorFlow "same" padding at 50x38, pipeline', model: 'balle2017', params: { N: 8 }, arch: 'pipeline', path: 'encode', res: '50x38', mutate: (p) => { p.workload.pad = 'same'; } },
);

const gpp = haveTool('g++');

describe.skipIf(!gpp)(`emitted projects: g++ -Wall -Werror C simulation against the TypeScript reference${gpp ? '' : ' (skipped: no g++ on PATH; .ci/run installs it)'}`, () => {
  let root = '';
  const dirs: string[] = [];
  const results: SimResult[] = [];
  const dataflow: SimResult[] = [];
  let emitMs = 0;
  let simMs = 0;

  beforeAll(async () => {
    root = tmp();
    // Builds start as soon as their project is emitted, at most one per core, so g++ runs while the next point is
    // searched and emitted; the precompiled headers build meanwhile (each job waits for its own).
    const limit = limiter(Math.max(2, cpus().length));
    const pch = { seq: stdPch(root, SEQUENTIAL), thr: stdPch(root, THREADED) };
    const jobs: Promise<void>[] = [];
    const t0 = Date.now();
    for (const [k, c] of cases.entries()) {
      const e0 = Date.now();
      const dir = path.join(root, `p${k}`);
      emitPoint(pointFor(c), dir, { part: c.part });
      dirs.push(dir);
      emitMs += Date.now() - e0;
      jobs.push(limit(async () => { results[k] = await compileAndRun(dir, [...SEQUENTIAL, ...await pch.seq], 'sim.bin', { unity: true }); }));
      if (c.arch === 'pipeline') jobs.push(limit(async () => { dataflow[k] = await compileAndRun(dir, [...THREADED, ...await pch.thr], 'sim-dataflow.bin'); }));
      await tick(); // let vitest's RPC and the finished builds through between emits (a long synchronous stretch misses its 60 s limit)
    }
    await Promise.all(jobs);
    simMs = Date.now() - t0;
    const all = [...results, ...dataflow.filter(Boolean)];
    const compile = all.reduce((s, r) => s + r.compileMs, 0);
    const runMs = all.reduce((s, r) => s + r.runMs, 0);
    process.stdout.write(`emit tests: ${cases.length} projects (+${dataflow.filter(Boolean).length} pipelines with threaded bounded FIFOs), search+emit ${(emitMs / 1e3).toFixed(1)} s, all ${(simMs / 1e3).toFixed(1)} s wall (g++ ${(compile / 1e3).toFixed(1)} s, runs ${(runMs / 1e3).toFixed(1)} s summed)\n`);
  });
  afterAll(() => { if (root) rmSync(root, { recursive: true, force: true }); });

  cases.forEach((c, k) => {
    it(`${c.name}: builds with -Wall -Werror, testbench passes bit-exactly`, () => {
      const r = results[k];
      expect(r.compiled, r.output).toBe(true);
      expect(r.passed, r.output).toBe(true);
      expect(r.output).toMatch(/bit-exact/);
      if (c.arch === 'pipeline') {
        const t = dataflow[k];
        expect(t.compiled, t.output).toBe(true);
        expect(t.passed, `one thread per stage, FIFOs of the emitted depths: ${t.output}`).toBe(true);
      }
    });
  });

  // make perf's agreement (issue 8): every zoo family's g_a and g_s, counted against estimated cycles per layer,
  // and the memories and multipliers the code declares against the estimate's resources.
  cases.forEach((c, k) => {
    if (c.arch !== 'engine' || !ZOO.some(([m]) => m === c.model) || c.mutate || c.part) return;
    it(`${c.name}: counted cycles within 10% of the estimate per layer; declared BRAM18/URAM/DSP equal the estimate`, () => {
      expect(results[k].passed, results[k].output).toBe(true);
      checkPerf(dirs[k], 0.1);
    });
  });

  // make perf's dataflow replay (issue 9): where the replayed frame interval with the FIFO depths the code declares
  // is known to exceed the estimate's frame by more than 10%, and why. With unbounded FIFOs every case replays
  // within 10% (checkPipelinePerf): the frame is the slowest stage, as the estimate composes it.
  // Frame boundaries on small maps: a stage reads its first rows (its lead) before it computes a frame, and its
  // producer, held back by the FIFO while the stage finishes the previous frame, delivers them late; stages balanced
  // to within a few percent expose it. The excess goes with lead rows / rows: at 256x256 the same designs replay
  // 2.6-6.1% above the estimate (balle2017 and bmshj2018-hyperprior g_a, mbt2018-mean h_s).
  const REPLAY_KNOWN: Record<string, { declared: number }> = {
    'balle2017 encode pipeline': { declared: 0.25 },
    'ms2020 encode pipeline': { declared: 0.13 },
    'cheng2020-anchor encode pipeline': { declared: 0.22 },
    'every op encode pipeline': { declared: 0.25 },
    'every op decode pipeline': { declared: 0.27 },
    'hyper-analysis h_a (abs, conv, relu), pipeline': { declared: 0.28 },
    'hyper-synthesis h_s (deconv, leaky ReLU, conv), pipeline': { declared: 0.18 },
    'TensorFlow "same" padding at 50x38, pipeline': { declared: 0.4 },
    // g0 is duplicated to a residual join (the held operand, a deep FIFO) and to a stage whose rows come in turns:
    // the dup writes both copies in step, so the shallow copy's pauses hold back the deep one (13 rows of 16).
    'streamed weights, kernel unroll, pipeline encode': { declared: 0.13 },
  };

  // make perf on the pipeline (issue 9): every pipeline case's stages (the SWU and MVAU of each, at their
  // concurrent max) counted against the estimate's row, and each stage's declared memories and multipliers
  // against that row's BRAM18 and DSP.
  cases.forEach((c, k) => {
    if (c.arch !== 'pipeline') return;
    it(`${c.name}: each stage's counted cycles within 10% of the estimate; declared BRAM18/DSP equal its row`, () => {
      expect(results[k].passed, results[k].output).toBe(true);
      const f = checkPipelinePerf(dirs[k], 0.1, { replay: REPLAY_KNOWN[c.name] });
      expect(Math.abs(f.counted - f.estimated) / f.estimated).toBeLessThanOrEqual(0.1);
    });
  });

  it('make perf replay: a FIFO too shallow to decouple the stages shows as stalls; one too shallow for a residual branch deadlocks, named', async () => {
    const k = cases.findIndex((c) => c.name === 'bmshj2018-hyperprior decode pipeline');
    const perfOf = async (dir: string, depths: string) => {
      const r = await runAsync('./sim.bin', [], { cwd: dir, env: { ...process.env, LIC_PERF_FIFO_DEPTHS: depths, LIC_PERF_OUT: 'perf-whatif.json' } });
      return { r, perf: JSON.parse(readFileSync(path.join(dir, 'perf-whatif.json'), 'utf8')) as PerfJson };
    };
    const declared = checkPipelinePerf(dirs[k], 0.1);
    // Every inter-stage FIFO at Vitis' default depth of 2 (the sliding-window units' one-row FIFOs included).
    const shallow = await perfOf(dirs[k], 's_=2');
    expect(shallow.r.status, shallow.r.stderr).toBe(0);
    expect(shallow.perf.frameDecoupled).toBe(declared.perf.frameDecoupled);
    expect((shallow.perf.frameReplayed! - declared.estimated) / declared.estimated).toBeGreaterThan(0.1);
    expect(shallow.perf.fifos!.some((f) => f.writerStallCycles > declared.perf.fifos!.find((g) => g.name === f.name)!.writerStallCycles)).toBe(true);
    // The residual FIFO the threaded test shrinks: the replay deadlocks and names it; the testbench fails.
    const j = cases.findIndex((c) => c.name === 'cheng2020-anchor decode pipeline');
    const dead = await perfOf(dirs[j], 's_input_1=2');
    expect(dead.r.status).toBe(1);
    expect(dead.r.stdout).toMatch(/FAIL: the dataflow replay of make perf deadlocks/);
    expect(dead.r.stderr).toMatch(/dataflow deadlock, every process is blocked:[^]*write to full stream s_input_1/);
    expect(dead.perf.replay!.deadlock).toMatch(/write to full stream s_input_1/);
    expect(dead.perf.frameReplayed).toBeUndefined();
  });

  it('bounded FIFOs: a residual FIFO shallower than the branch it waits for deadlocks, and the simulation says where', async () => {
    const k = cases.findIndex((c) => c.name === 'cheng2020-anchor decode pipeline');
    const top = path.join(dirs[k], 'src', 'cheng2020_anchor_g_s_pipeline.cpp');
    const src = readFileSync(top, 'utf8');
    const deep = /LIC_FIFO_DEPTH\((s_input_1), (\d+)\)/.exec(src)!;
    expect(Number(deep[2])).toBeGreaterThan(2);
    writeFileSync(top, src.replace(deep[0], `LIC_FIFO_DEPTH(${deep[1]}, 2)`));
    const b = await runAsync('g++', [...THREADED, ...await stdPch(root, THREADED), 'src/cheng2020_anchor_g_s_pipeline.cpp', 'tb/tb_cheng2020_anchor_g_s_pipeline.cpp', '-o', 'shallow.bin'], { cwd: dirs[k] });
    writeFileSync(top, src);
    expect(b.status, b.stderr).toBe(0);
    const r = await runAsync('./shallow.bin', [], { cwd: dirs[k] });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/dataflow deadlock, every process is blocked/);
    expect(r.stderr).toMatch(/write to full stream s_input_1/);
  });

  it('the testbench fails (exit 1, FAIL) when one output value is off', async () => {
    const k = cases.findIndex((c) => c.name === 'bmshj2018-hyperprior decode engine');
    const dir = dirs[k];
    const golden = path.join(dir, 'data', 'golden_g_s_6.bin');
    const orig = readFileSync(golden);
    const bad = Buffer.from(orig);
    bad[17] = (bad[17] + 1) & 0xff;
    writeFileSync(golden, bad);
    const r = await runAsync('./sim.bin', [], { cwd: dir });
    writeFileSync(golden, orig);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/g_s_6 .* 1 mismatches, first at c=0 y=0 x=17/);
    expect(r.stdout).toMatch(/^FAIL/m);
    const k2 = cases.findIndex((c) => c.name === 'mbt2018-mean decode pipeline');
    const g2 = path.join(dirs[k2], 'data', 'golden_g_s_6.bin');
    const o2 = readFileSync(g2);
    writeFileSync(g2, o2.subarray(1));
    const r2 = await runAsync('./sim.bin', [], { cwd: dirs[k2] });
    writeFileSync(g2, o2);
    expect(r2.status).toBe(1);
    expect(r2.stdout).toMatch(/FAIL/);
  });

  it('the sources also build with the HLS pragmas expanded (as Vitis sees them)', async () => {
    const flags = ['-std=c++17', '-Wall', '-Werror', '-Wno-unknown-pragmas', '-Wno-unused-label', '-DLIC_FORCE_PRAGMAS', '-O1'];
    const pick = ['cheng2020-anchor decode engine', 'cheng2020-anchor decode pipeline', 'streamed weights, kernel unroll, pipeline encode', 'odd unroll, 64-bit beats, URAM buffers, engine encode'];
    const rs = await pool(pick.map((n) => () => compileAndRun(dirs[cases.findIndex((c) => c.name === n)], flags)));
    for (const r of rs) expect(r.passed, r.output).toBe(true);
    const pre = (n: string) => spawnSync('g++', ['-std=c++17', '-E', '-DLIC_FORCE_PRAGMAS', ...['src'].map((d) => path.join(d, '*.cpp'))], { cwd: dirs[cases.findIndex((c) => c.name === n)], encoding: 'utf8', shell: true }).stdout;
    const engine = pre('odd unroll, 64-bit beats, URAM buffers, engine encode');
    for (const want of [
      '#pragma HLS PIPELINE II=1', '#pragma HLS INTERFACE s_axilite port=return',
      '#pragma HLS INTERFACE m_axi port=rd bundle=gmem_rd offset=slave depth=', '#pragma HLS INTERFACE m_axi port=aux bundle=gmem_aux',
      '#pragma HLS INTERFACE m_axi port=w bundle=gmem_w', '#pragma HLS INTERFACE m_axi port=wr bundle=gmem_wr', 'max_read_burst_length=16',
      '#pragma HLS ARRAY_PARTITION variable=in_a dim=1 complete', '#pragma HLS ARRAY_RESHAPE variable=out_b dim=3 complete',
      '#pragma HLS BIND_STORAGE variable=w_a type=ram_s2p impl=uram', '#pragma HLS DATAFLOW',
    ]) expect(engine).toContain(want);
    const pipe = pre('streamed weights, kernel unroll, pipeline encode');
    for (const want of ['#pragma HLS DATAFLOW', '#pragma HLS STREAM variable=s_input depth=', '#pragma HLS INTERFACE m_axi port=ws_g_a_c0 bundle=gmem_w', '#pragma HLS ARRAY_PARTITION variable=lb dim=2 cyclic factor=XB', 'bundle=gmem_w_g_a_c0', '#pragma HLS ARRAY_RESHAPE variable=wb dim=5 complete']) {
      expect(pipe).toContain(want);
    }
  });

  it.skipIf(!haveTool('make'))('make sim builds and runs the testbench', async () => {
    const dir = dirs[cases.findIndex((c) => c.name === 'balle2017 encode pipeline')];
    const r = await runAsync('make', ['sim', 'CXXFLAGS=-std=c++17 -Wall -Werror -O1'], { cwd: dir });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS/);
  });
});
