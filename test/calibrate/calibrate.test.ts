import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCalibration, loadCalibration } from '../../src/calibrate/calib-file.js';
import { parseCsynthXml } from '../../src/calibrate/csynth.js';
import { findReports } from '../../src/calibrate/discover.js';
import { COEFFICIENTS, designFeatures, fromVector, toVector, withLinearModels } from '../../src/calibrate/features.js';
import { calibrationFile, comparisonRows, fitCoefficients, pairReports } from '../../src/calibrate/index.js';
import { parseUtilization } from '../../src/calibrate/vivado.js';
import { evaluate } from '../../src/cost/evaluate.js';
import { basePoint } from '../../src/mapping/base-point.js';
import { contextFor } from '../../src/mapping/load.js';
import type { Point } from '../../src/mapping/schema.js';
import { loadCostTables } from '../../src/platform/load.js';
import { explore } from '../../src/search/explore.js';

const FIX = 'test/fixtures/calibrate';
const CLI = path.resolve('dist/bin/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

describe('synthesis reports', () => {
  it('parse the classic (Vivado HLS 2018.3, DSP48E) and Unified (Vitis HLS 2023.2, DSP) csynth.xml', () => {
    const classic = parseCsynthXml(readFileSync(`${FIX}/classic/hp_engine/hp_engine_prj/solution1/syn/report/bmshj2018_hyperprior_g_a_engine_csynth.xml`, 'utf8'))!;
    expect(classic).toMatchObject({ version: '2018.3', top: 'bmshj2018_hyperprior_g_a_engine', part: 'xczu9eg-ffvb1156-2-e', dspTag: 'DSP48E', targetClockNs: 3.33 });
    expect(classic.resources).toEqual({ dsp: 592, bram18: 426, lut: 61877, ff: 71240, uram: null });
    expect(classic.latency).toEqual({ best: 27310, worst: 27310 });
    expect(classic.interval).toEqual({ min: 27311, max: 27311 });
    const unified = parseCsynthXml(readFileSync(`${FIX}/unified/hp_pipeline/hp_pipeline/hls/syn/report/csynth.xml`, 'utf8'))!;
    expect(unified).toMatchObject({ version: '2023.2', dspTag: 'DSP', estimatedClockNs: 2.431 });
    expect(unified.resources).toEqual({ dsp: 791, bram18: 36, lut: 80114, ff: 90312, uram: 0 });
    expect(parseCsynthXml('<html><body/></html>')).toBeUndefined();
    expect(parseCsynthXml('<profile><AreaEstimates><Resources><LUT>undef</LUT></Resources></AreaEstimates></profile>')!.resources.lut).toBeNull();
  });

  it('parse a Vivado utilisation report (Block RAM tiles are two BRAM18)', () => {
    const v = parseUtilization(readFileSync(`${FIX}/unified/hp_pipeline/hp_pipeline/hls/impl/report/verilog/bmshj2018_hyperprior_g_s_pipeline_utilization_routed.rpt`, 'utf8'))!;
    expect(v).toEqual({ tool: 'Vivado v.2023.2', state: 'Routed', lut: 71532, ff: 83790, bram18: 35, dsp: 788, uram: 0 });
  });

  it('find the top reports in both layouts, pair them with tiling.json, skip sub-function reports', () => {
    const rs = findReports([FIX]);
    expect(rs.map((r) => [r.layout, r.top, r.csynth.version, !!r.vivado])).toEqual([
      ['classic', 'bmshj2018_hyperprior_g_a_engine', '2018.3', false],
      ['unified', 'bmshj2018_hyperprior_g_s_pipeline', '2023.2', true],
    ]);
    expect(rs[0].point.arch).toBe('engine');
    expect(rs[1].point.arch).toBe('pipeline');
  });

  it('--table: estimated vs reported per report, with the error and the Vitis version', () => {
    const r = run('calibrate', FIX, '--table');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^report +Vitis +layout +LUT\/FF from +DSP est +rep +err % +BRAM18 est .* LUT est .* FF est .* latency est .* II est +rep +err %$/);
    const classic = lines.find((l) => l.includes('classic'))!;
    const unified = lines.find((l) => l.includes('unified'))!;
    const tables = loadCostTables();
    const [c, u] = pairReports(findReports([FIX]), tables);
    const pct = (e: number, rep: number) => Number((((e - rep) / rep) * 100).toFixed(1));
    expect(classic).toContain('2018.3');
    expect(classic).toMatch(new RegExp(` ${c.estimate.resources.dsp.used} +592 +${pct(c.estimate.resources.dsp.used, 592)} `));
    expect(unified).toContain('2023.2');
    expect(unified).toContain('vivado Vivado v.2023.2');
    // Post-route LUT from the Vivado report, not the csynth estimate.
    expect(unified).toMatch(new RegExp(`${u.estimate.resources.lut.used.toLocaleString('en-US')} +71,532 +${pct(u.estimate.resources.lut.used, 71532)} `));
    expect(r.stdout).toMatch(/LUT shipped model: MAPE [0-9.]+ %, R² /);
    expect(r.stdout).toMatch(/note: 2 report\(s\) for \d+ varying coefficients/);
  });
});

/** Known coefficients: the shipped ones scaled by fixed, different factors. */
function knownModels() {
  const t = loadCostTables();
  const f = [1.3, 0.7, 1.15, 0.85, 1.0, 1.2, 0.6, 1.4, 0.9];
  return {
    lut: fromVector(toVector(t.coefficients.lut).map((v, j) => v * f[j]), 'known'),
    ff: fromVector(toVector(t.coefficients.ff).map((v, j) => v * f[(j + 3) % f.length]), 'known'),
  };
}

function designPoints(): Point[] {
  const t = loadCostTables();
  const pts: Point[] = [];
  // Both templates, four precisions, two sizes; pipelines of two models so that the stage count varies
  // apart from the port count (otherwise base, ports and stages cannot be told apart).
  for (const arch of ['engine', 'pipeline'] as const) {
    for (const precision of ['int8', 'int16', 'w4a8', 'fp16']) {
      for (const dsp of [0.15, 0.6]) {
        const model = arch === 'pipeline' && dsp < 0.5 ? 'bmshj2018-factorized' : 'bmshj2018-hyperprior';
        const base = basePoint({ model, params: { N: 8, M: 12 }, platform: 'zcu102', precision, res: '64x64', arch, path: arch === 'engine' ? 'encode' : 'decode', caps: { dsp } });
        const { workload, platform } = contextFor(base);
        pts.push(explore(workload, platform, t, base).point);
      }
    }
  }
  return pts;
}

const csynthXml = (version: string, top: string, r: { dsp: number; bram18: number; lut: number; ff: number }) => `<?xml version="1.0" encoding="UTF-8"?>
<profile>
<ReportVersion><Version>${version}</Version></ReportVersion>
<UserAssignments><Part>xczu9eg-ffvb1156-2-e</Part><TopModelName>${top}</TopModelName><TargetClockPeriod>3.33</TargetClockPeriod></UserAssignments>
<PerformanceEstimates><SummaryOfOverallLatency><Worst-caseLatency>1000</Worst-caseLatency><Interval-max>1000</Interval-max></SummaryOfOverallLatency></PerformanceEstimates>
<AreaEstimates><Resources><BRAM_18K>${r.bram18}</BRAM_18K><${version < '2020' ? 'DSP48E' : 'DSP'}>${r.dsp}</${version < '2020' ? 'DSP48E' : 'DSP'}><FF>${r.ff}</FF><LUT>${r.lut}</LUT></Resources></AreaEstimates>
</profile>
`;

describe('least-squares refit', () => {
  it('recovers known LUT/FF coefficients from reports synthesised with them', () => {
    const tables = loadCostTables();
    const known = knownModels();
    const truth = withLinearModels(tables, known.lut, known.ff);
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-cal-'));
    designPoints().forEach((point, k) => {
      const { workload, platform } = contextFor(point);
      const e = evaluate(workload, platform, point, truth);
      const proj = path.join(dir, `p${k}`);
      const top = `top_${k}`;
      const rep = k % 2 ? path.join(proj, `p${k}`, 'hls', 'syn', 'report') : path.join(proj, `p${k}_prj`, 'solution1', 'syn', 'report');
      mkdirSync(rep, { recursive: true });
      writeFileSync(path.join(proj, 'tiling.json'), JSON.stringify({ schema: 'lic-dse/emit@1', name: `p${k}`, top, point }));
      writeFileSync(path.join(rep, `${top}_csynth.xml`), csynthXml(k % 2 ? '2023.2' : '2018.3', top, { dsp: e.resources.dsp.used, bram18: e.resources.bram18.used + 4, lut: e.resources.lut.used, ff: e.resources.ff.used }));
    });
    const pairs = pairReports(findReports([dir]), tables);
    expect(pairs).toHaveLength(16);
    const fit = fitCoefficients(pairs, tables);
    expect(fit.kept).toEqual(['perMacFloat32']);
    const got = { lut: toVector(fit.lut), ff: toVector(fit.ff) };
    const want = { lut: toVector(known.lut), ff: toVector(known.ff) };
    for (const which of ['lut', 'ff'] as const) {
      COEFFICIENTS.forEach((name, j) => {
        if (name === 'perMacFloat32') expect(got[which][j]).toBe(toVector(tables.coefficients[which])[j]);
        else expect(Math.abs(got[which][j] - want[which][j]), `${which}.${name}`).toBeLessThan(0.01 * Math.abs(want[which][j]) + 0.01);
      });
      expect(fit.after[which].mape).toBeLessThan(0.05);
      expect(fit.after[which].r2).toBeGreaterThan(0.9999);
      expect(fit.before[which].mape).toBeGreaterThan(1);
    }
    expect(fit.bram18Overhead).toBe(4);
    const calib = calibrationFile(pairs, fit);
    expect(calib.board).toBe('zcu102');
    expect(new Set(calib.fit.reports.map((r) => r.version))).toEqual(new Set(['2018.3', '2023.2']));
  });
});

describe('--calib', () => {
  it('replaces the LUT/FF models of the estimate (and nothing else)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-calib-'));
    const tables = loadCostTables();
    const pairs = pairReports(findReports([FIX]), tables);
    const fit = fitCoefficients(pairs, tables);
    const file = path.join(dir, 'zcu102.calib.json');
    writeFileSync(file, JSON.stringify(calibrationFile(pairs, fit)));
    const calib = loadCalibration(file);
    const point = pairs[0].report.point;
    const { workload, platform } = contextFor(point);
    const before = evaluate(workload, platform, point, tables);
    const after = evaluate(workload, platform, point, applyCalibration(tables, calib));
    const feat = designFeatures(workload, platform, point, tables);
    const dot = (v: number[]) => v.reduce((s, x, j) => s + x * feat.counts[j], 0);
    expect(after.resources.lut.used).not.toBe(before.resources.lut.used);
    expect(after.resources.lut.used).toBeCloseTo(feat.lutOffset + dot(toVector(calib.lut)), -1);
    expect(after.resources.ff.used).toBeCloseTo(feat.ffOffset + dot(toVector(calib.ff)), -1);
    expect(after.resources.dsp).toEqual(before.resources.dsp);
    expect(after.resources.bram18).toEqual(before.resources.bram18);
    expect(after.fps).toBe(before.fps);
  });

  it('evaluate --calib changes LUT/FF on the command line; a bad calibration file is one error line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-calib-'));
    const out = path.join(dir, 'zcu102.calib.json');
    const c = run('calibrate', FIX, '--out', out);
    expect(c.status).toBe(0);
    const pointFile = path.join(dir, 'p.json');
    writeFileSync(pointFile, JSON.stringify(JSON.parse(readFileSync(`${FIX}/classic/hp_engine/tiling.json`, 'utf8')).point));
    const a = JSON.parse(run('evaluate', '--point', pointFile, '--json').stdout);
    const b = JSON.parse(run('evaluate', '--point', pointFile, '--calib', out, '--json').stdout);
    expect(b.resources.lut.used).not.toBe(a.resources.lut.used);
    expect(b.resources.ff.used).not.toBe(a.resources.ff.used);
    expect(b.resources.dsp.used).toBe(a.resources.dsp.used);
    const bad = JSON.parse(readFileSync(out, 'utf8'));
    bad.lut.base = 'many';
    writeFileSync(out, JSON.stringify(bad));
    const e = run('evaluate', '--point', pointFile, '--calib', out);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/^lic-dse: .*zcu102\.calib\.json: lut\.base: .*\n$/);
  });
});
