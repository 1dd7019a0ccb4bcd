import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatform } from '../../src/platform/load.js';
import { emitPoint, haveTool, listFiles, parseIni, pointFor, tmp } from './helpers.js';

/**
 * run_hls.tcl (Vitis Unified), run_hls_legacy.tcl (Vitis HLS ≤ 2024.2) and hls_config.cfg (v++ -c --mode hls),
 * checked without Vitis: the Tcl runs in tclsh against stub procedures that record every call; the cfg is parsed.
 * Part from the board file, clock period 1000/MHz ns, the top function, every source, testbench and data file.
 */

const HARNESS = path.resolve('test/emit/tcl-harness.tcl');
const STEPS = ['csim', 'csynth', 'cosim', 'export', 'all'] as const;

interface Project {
  dir: string;
  board: string;
  mhz: number;
  top: string;
  name: string;
}

function tcl(script: string, args: string[], env: Record<string, string> = {}): { calls: string[][]; status: number | null; stderr: string } {
  const r = spawnSync('tclsh', [HARNESS, script, ...args], { encoding: 'utf8', env: { ...process.env, LIC_STEP: '', ...env } });
  const calls = r.status === 0 ? r.stdout.trim().split('\n').map((l) => JSON.parse(l) as string[]) : [];
  return { calls, status: r.status, stderr: r.stderr };
}

const root = tmp();
const projects: Project[] = [];
beforeAll(() => {
  const specs = [
    { model: 'bmshj2018-hyperprior', params: { N: 8, M: 12 } as Record<string, number>, arch: 'engine' as const, path: 'encode' as const, board: 'zcu102', mhz: 300 },
    { model: 'cheng2020-anchor', params: { N: 8 } as Record<string, number>, arch: 'pipeline' as const, path: 'decode' as const, board: 'kv260', mhz: 250 },
  ];
  specs.forEach((s, k) => {
    const p = pointFor({ name: '', model: s.model, params: s.params, arch: s.arch, path: s.path });
    p.platform = s.board;
    p.clockMHz = s.mhz;
    if (s.arch === 'pipeline') for (const l of Object.values(p.pipeline!.layers).slice(0, 3)) l.weights = 'stream';
    const dir = path.join(root, k === 0 ? 'hyper_engine' : 'cheng pipeline');
    const r = emitPoint(p, dir);
    projects.push({ dir, board: s.board, mhz: s.mhz, top: r.top, name: r.name });
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectFileCalls(p: Project, calls: string[][]) {
  const adds = calls.filter((c) => c[0] === 'add_files');
  const synth = adds.filter((c) => !c.includes('-tb'));
  const tb = adds.filter((c) => c.includes('-tb'));
  const fileOf = (c: string[]) => c[c.length - 1];
  for (const c of adds) {
    const f = fileOf(c);
    expect(path.isAbsolute(f)).toBe(true);
    expect(f.startsWith(p.dir + path.sep), `${f} is inside the project`).toBe(true);
    expect(existsSync(f), `${f} exists`).toBe(true);
  }
  const rel = (c: string[]) => path.relative(p.dir, fileOf(c)).split(path.sep).join('/');
  const all = listFiles(p.dir);
  // Synthesis: the top's .cpp (with -std=c++17) and every kernel header; nothing from tb/ or data/.
  expect(synth.filter((c) => c[c.length - 1].endsWith('.cpp')).map(rel)).toEqual([`src/${p.top}.cpp`]);
  expect(synth.find((c) => rel(c) === `src/${p.top}.cpp`)).toEqual(['add_files', '-cflags', '-std=c++17', path.join(p.dir, 'src', `${p.top}.cpp`)]);
  expect(synth.map(rel).sort()).toEqual(all.filter((f) => f.startsWith('src/')).sort());
  // Testbench: its .cpp (with -std=c++17), its header, every data file.
  expect(tb.map(rel).sort()).toEqual(all.filter((f) => f.startsWith('tb/') || f.startsWith('data/')).sort());
  expect(tb.find((c) => rel(c) === `tb/tb_${p.top}.cpp`)).toEqual(['add_files', '-tb', '-cflags', '-std=c++17', path.join(p.dir, 'tb', `tb_${p.top}.cpp`)]);
}

function expectSteps(p: Project, calls: string[][], step: string) {
  const names = calls.map((c) => c[0]);
  const flow = names.filter((n) => /_design$/.test(n));
  const want = { csim: ['csim_design'], csynth: ['csynth_design'], cosim: ['csynth_design', 'cosim_design'], export: ['csynth_design', 'export_design'], all: ['csim_design', 'csynth_design', 'cosim_design', 'export_design'] }[step];
  expect(flow).toEqual(want);
  const data = path.join(p.dir, 'data');
  if (flow.includes('csim_design')) expect(calls.find((c) => c[0] === 'csim_design')).toEqual(['csim_design', '-argv', data]);
  if (flow.includes('cosim_design')) expect(calls.find((c) => c[0] === 'cosim_design')).toEqual(['cosim_design', '-argv', data]);
  if (flow.includes('export_design')) expect(calls.find((c) => c[0] === 'export_design')).toEqual(['export_design', '-format', 'xo']);
  expect(names[names.length - 1]).toBe('exit');
  // Every flow step comes after the part, clock, top and files are set.
  const firstFlow = names.findIndex((n) => /_design$/.test(n));
  expect(firstFlow).toBeGreaterThan(names.lastIndexOf('add_files'));
  expect(firstFlow).toBeGreaterThan(names.indexOf('create_clock'));
}

function expectPartClockTop(p: Project, calls: string[][]) {
  const part = loadPlatform(p.board).spec.part;
  expect(calls.filter((c) => c[0] === 'set_part')).toEqual([['set_part', part]]);
  const clock = calls.filter((c) => c[0] === 'create_clock');
  expect(clock).toHaveLength(1);
  expect(clock[0][1]).toBe('-period');
  expect(Math.abs(Number(clock[0][2]) - 1000 / p.mhz)).toBeLessThan(5e-4);
  expect(clock[0].slice(3)).toEqual(['-name', 'default']);
  expect(calls.filter((c) => c[0] === 'set_top')).toEqual([['set_top', p.top]]);
}

const tclsh = haveTool('tclsh', ['/dev/null']);
describe.skipIf(!tclsh)(`Tcl scripts against recording stubs${tclsh ? '' : ' (skipped: no tclsh on PATH; apt-get install tcl, as .ci/run does)'}`, () => {
  for (const k of [0, 1]) {
    for (const step of STEPS) {
      it(`project ${k}: run_hls.tcl (Unified, open_component) step ${step}`, () => {
        const p = projects[k];
        const r = tcl(path.join(p.dir, 'run_hls.tcl'), [step]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.calls[0]).toEqual(['open_component', '-reset', p.name, '-flow_target', 'vitis']);
        expect(r.calls.filter((c) => c[0] === 'open_project' || c[0] === 'open_solution')).toEqual([]);
        expectPartClockTop(p, r.calls);
        expectFileCalls(p, r.calls);
        expectSteps(p, r.calls, step);
      });
      it(`project ${k}: run_hls_legacy.tcl (open_project / open_solution) step ${step}`, () => {
        const p = projects[k];
        const r = tcl(path.join(p.dir, 'run_hls_legacy.tcl'), [step]);
        expect(r.status, r.stderr).toBe(0);
        const names = r.calls.map((c) => c[0]);
        expect(r.calls[0]).toEqual(['open_project', '-reset', `${p.name}_prj`]);
        expect(r.calls.filter((c) => c[0] === 'open_solution')).toEqual([['open_solution', '-reset', 'solution1', '-flow_target', 'vitis']]);
        expect(names).not.toContain('open_component');
        // The solution is open before the part and clock are set (they belong to it).
        expect(names.indexOf('open_solution')).toBeLessThan(names.indexOf('set_part'));
        expectPartClockTop(p, r.calls);
        expectFileCalls(p, r.calls);
        expectSteps(p, r.calls, step);
      });
    }
  }
  it('the step also comes from LIC_STEP; no step means csim; an unknown step is an error', () => {
    const p = projects[0];
    const s = path.join(p.dir, 'run_hls.tcl');
    expectSteps(p, tcl(s, [], { LIC_STEP: 'cosim' }).calls, 'cosim');
    expectSteps(p, tcl(s, []).calls, 'csim');
    expectSteps(p, tcl(s, ['-foo']).calls, 'csim');
    const bad = tcl(s, [], { LIC_STEP: 'synth' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown step 'synth'/);
    const legacy = tcl(path.join(p.dir, 'run_hls_legacy.tcl'), ['synth']);
    expect(legacy.status).not.toBe(0);
    expect(legacy.stderr).toMatch(/unknown step 'synth'/);
  });
  it('the scripts are relocatable: moved, they name the files at the new place', () => {
    const p = projects[1];
    const moved = path.join(root, 'moved', 'elsewhere');
    cpSync(p.dir, moved, { recursive: true });
    const q = { ...p, dir: moved };
    for (const script of ['run_hls.tcl', 'run_hls_legacy.tcl']) {
      const r = tcl(path.join(moved, script), ['all']);
      expect(r.status, r.stderr).toBe(0);
      expectFileCalls(q, r.calls);
      expectSteps(q, r.calls, 'all');
    }
  });
});

describe('hls_config.cfg, parsed', () => {
  for (const k of [0, 1]) {
    it(`project ${k}: part, flow target, clock, top, sources, testbench and data files`, () => {
      const p = projects[k];
      const ini = parseIni(readFileSync(path.join(p.dir, 'hls_config.cfg'), 'utf8'));
      expect(Object.keys(ini).sort()).toEqual(['', 'hls']);
      expect(ini['']).toEqual({ part: [loadPlatform(p.board).spec.part] });
      const h = ini.hls;
      expect(h.flow_target).toEqual(['vitis']);
      expect(h['package.output.format']).toEqual(['xo']);
      expect(h.clock).toHaveLength(1);
      expect(Math.abs(Number(h.clock[0]) - 1000 / p.mhz)).toBeLessThan(5e-4);
      expect(h['syn.top']).toEqual([p.top]);
      expect(h['syn.file']).toEqual([`src/${p.top}.cpp`]);
      expect(h['syn.cflags']).toEqual(['-std=c++17']);
      expect(h['tb.cflags']).toEqual(['-std=c++17']);
      const all = listFiles(p.dir);
      expect([...h['tb.file']].sort()).toEqual([`tb/tb_${p.top}.cpp`, ...all.filter((f) => f.startsWith('data/'))].sort());
      for (const f of [...h['syn.file'], ...h['tb.file']]) {
        expect(path.isAbsolute(f)).toBe(false);
        expect(existsSync(path.join(p.dir, f)), f).toBe(true);
      }
      // Every key is one the Unified flow knows (a typo would be silently ignored by a hand check).
      for (const key of Object.keys(h)) expect(['flow_target', 'package.output.format', 'clock', 'syn.top', 'syn.file', 'syn.cflags', 'tb.file', 'tb.cflags']).toContain(key);
    });
  }
  it('the Makefile drives the same flows', () => {
    const p = projects[0];
    const mk = readFileSync(path.join(p.dir, 'Makefile'), 'utf8');
    expect(mk).toContain(`NAME := ${p.name}`);
    expect(mk).toContain('v++ -c --mode hls --config hls_config.cfg --work_dir $(NAME)');
    for (const t of ['sim:', 'csim:', 'csynth:', 'cosim: csynth', 'export: csynth', 'legacy-%:', 'unified-%:']) expect(mk).toContain(`\n${t}`);
    expect(mk).toContain('vitis-run --mode hls --csim --config hls_config.cfg');
    expect(mk).toContain('vitis-run --mode hls --package --config hls_config.cfg');
    expect(mk).toContain('vitis_hls -f run_hls_legacy.tcl -tclargs $*');
  });
});
