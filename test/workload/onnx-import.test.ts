import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/workload/onnx/index.js';
import { resolveModel } from '../../src/workload/resolve.js';
import { inferWorkload, workloadTotals } from '../../src/workload/shapes.js';
import { totalsOf } from '../helpers.js';

const FIX = path.resolve('test/fixtures/onnx');
/** The exporter's own counts (make_fixtures.py: MACs from module shapes via forward hooks, parameters from torch). */
const counts = JSON.parse(readFileSync(path.join(FIX, 'counts.json'), 'utf8'));
const CLI = path.resolve('dist/bin/main.js');
/** Spawning the CLI can take long on a shared machine; not a speed test. */
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });

function totalsAtExport(name: string) {
  const r = importOnnx(path.join(FIX, `${name}.onnx`));
  const [, , h, w] = counts[name].input;
  return { r, t: workloadTotals(inferWorkload(resolveModel(r.spec, name), { width: w, height: h })) };
}

/** Rewrite a fixture through protobufjs and the official schema (drop value_info, rename an op) into a temp file. */
function rewrite(name: string, edit: (graph: { node: { name: string; opType: string }[]; valueInfo: unknown[] }) => void): string {
  const root = protobuf.loadSync(path.resolve('vendor/onnx/onnx.proto'));
  const T = root.lookupType('onnx.ModelProto');
  const m = T.decode(readFileSync(path.join(FIX, `${name}.onnx`))) as unknown as { graph: Parameters<typeof edit>[0] };
  edit(m.graph);
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'lic-onnx-')), `${name}.onnx`);
  writeFileSync(out, T.encode(m as unknown as protobuf.Message).finish());
  return out;
}

describe('ONNX import: counts equal the exporter\'s', () => {
  for (const name of ['hyperprior', 'deconv_decoder', 'window_attention']) {
    it(`${name}: MACs and parameters at the exported size`, () => {
      const { r, t } = totalsAtExport(name);
      expect(r.leftOut).toEqual([]);
      expect(t.macs).toBe(counts[name].macs);
      expect(t.params).toBe(counts[name].params);
    });
  }

  it('hyperprior: parts follow the top-level modules, and each matches the zoo descriptor at the same N, M', () => {
    const { r, t } = totalsAtExport('hyperprior');
    expect(r.spec.parts.map((p) => p.name)).toEqual(['g_a', 'h_a', 'h_s', 'g_s']);
    expect(r.spec.paths).toEqual({ encode: ['g_a', 'h_a', 'h_s'], decode: ['h_s', 'g_s'] });
    const zoo = totalsOf('bmshj2018-hyperprior', { params: { N: 8, M: 12 } }, 64, 64);
    for (const p of ['g_a', 'h_a', 'h_s', 'g_s']) {
      expect(t.parts[p].macs).toBe(counts.hyperprior.macsPerChild[p]);
      expect(t.parts[p].params).toBe(counts.hyperprior.paramsPerChild[p]);
      expect(t.parts[p]).toEqual({ ...zoo.parts[p], zeroMacs: t.parts[p].zeroMacs });
      expect(t.parts[p].zeroMacs).toBe(zoo.parts[p].zeroMacs);
    }
  });

  it('GDN in its four exported spellings (rsqrt, division, power, IGDN sqrt) and the simplified forms fold into one layer each', () => {
    const ops = (name: string, part: string) => importOnnx(path.join(FIX, `${name}.onnx`)).spec.parts.find((p) => p.name === part)!.layers.map((l) => ('op' in l ? l.op : 'repeat'));
    expect(ops('hyperprior', 'g_a')).toEqual(['conv', 'gdn', 'conv', 'gdn', 'conv', 'gdn', 'conv']);
    expect(ops('hyperprior', 'g_s')).toEqual(['deconv', 'igdn', 'deconv', 'igdn', 'deconv', 'igdn', 'deconv']);
    expect(ops('deconv_decoder', 'main')).toEqual([
      'deconv', 'leaky_relu', 'igdn_simplified', 'deconv', 'relu', 'gdn_simplified', 'slice', 'slice', 'conv', 'concat', 'conv', 'pixel_shuffle', 'maxpool', 'avgpool', 'conv',
    ]);
  });

  it('window attention: QKᵀ and AV over one qkv tensor, heads, window and the relative position bias', () => {
    const layers = importOnnx(path.join(FIX, 'window_attention.onnx')).spec.parts.find((p) => p.name === 'block')!.layers as Record<string, unknown>[];
    const qk = layers.find((l) => l.form === 'qk')!;
    expect(qk).toMatchObject({ op: 'matmul', dim: 16, heads: 2, window: 4, relativePositionBias: true });
    expect(layers[layers.indexOf(qk) - 1]).toMatchObject({ op: 'linear', cout: 48 });
    expect(layers.find((l) => l.form === 'av')).toMatchObject({ op: 'matmul', dim: 16, heads: 2, window: 4 });
    expect(layers.map((l) => l.op)).toEqual(['layer_norm', 'linear', 'matmul', 'softmax', 'matmul', 'linear', 'add', 'layer_norm', 'linear', 'gelu', 'linear', 'add']);
  });

  it('shapes from value_info and from the importer\'s own inference give the same model', () => {
    const withInfo = importOnnx(path.join(FIX, 'window_attention.onnx'));
    expect(withInfo.shapesFrom.valueInfo).toBeGreaterThan(20);
    const stripped = importOnnx(rewrite('window_attention', (g) => {
      g.valueInfo = [];
    }), { name: 'window_attention' });
    expect(stripped.shapesFrom.inferred).toBeGreaterThan(20);
    expect(stripped.spec.parts).toEqual(withInfo.spec.parts);
  });
});

describe('ONNX import: QDQ fake quantisation and Clip', () => {
  it('a QuantizeLinear/DequantizeLinear pair is no layer; Clip is an element-wise layer; both are noted', () => {
    const f = rewrite('deconv_decoder', (g) => {
      g.node.find((n) => n.name === '/act1/LeakyRelu')!.opType = 'DequantizeLinear';
      g.node.find((n) => n.name === '/act2/Relu')!.opType = 'Clip';
    });
    const r = importOnnx(f);
    const layers = r.spec.parts[0].layers as { name: string; op: string }[];
    expect(layers.map((l) => l.name)).not.toContain('act1/LeakyRelu');
    expect(layers.find((l) => l.name === 'act2/Relu')!.op).toBe('relu');
    expect(r.spec.notes.some((n) => n.startsWith('/act1/LeakyRelu: DequantizeLinear'))).toBe(true);
    expect(r.spec.notes.some((n) => n.startsWith('/act2/Relu: Clip'))).toBe(true);
    expect(r.leftOut).toEqual([]);
  });
});

describe('ONNX import: unsupported nodes', () => {
  const withSin = () => rewrite('deconv_decoder', (g) => {
    g.node.find((n) => n.name === '/act2/Relu')!.opType = 'Sin';
    g.node.find((n) => n.name === '/pool/MaxPool')!.opType = 'LpPool';
  });

  it('are listed up front by node name and op type, and nothing is imported', () => {
    expect(() => importOnnx(withSin())).toThrow(/2 unsupported node\(s\): \/act2\/Relu \(Sin: .*\/pool\/MaxPool \(LpPool: .*3 node\(s\) after them/);
  });

  it('--allow-partial imports the rest and lists what was left out', () => {
    const r = importOnnx(withSin(), { allowPartial: true });
    expect(r.leftOut.map((p) => `${p.node} ${p.opType}`)).toEqual(['/act2/Relu Sin', '/pool/MaxPool LpPool', '/avg/Pad Pad', '/avg/AveragePool AveragePool', '/out/Conv Conv']);
    expect(r.bridged).toEqual(['/act2/Relu']);
    const names = r.spec.parts[0].layers.map((l) => ('name' in l ? l.name : ''));
    expect(names).not.toContain('act2/Relu');
    expect(names).not.toContain('out/Conv');
    expect(names).toContain('shuffle/DepthToSpace');
    expect(r.spec.notes.filter((n) => n.startsWith('LEFT OUT'))).toHaveLength(5);
  });

  it('the CLI refuses with one line and exit 2, writes nothing; --allow-partial writes and lists', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-imp-'));
    const bad = withSin();
    const out = path.join(dir, 'm.json');
    const r = run('import', bad, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lic-dse: .*deconv_decoder\.onnx: 2 unsupported node\(s\): \/act2\/Relu \(Sin/);
    expect(existsSync(out)).toBe(false);
    const p = run('import', bad, '--out', out, '--allow-partial');
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/LEFT OUT 5 node\(s\)/);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('lic-dse/model@1');
  });

  it('a file that is not ONNX is one clear error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-imp-'));
    const f = path.join(dir, 'x.onnx');
    writeFileSync(f, 'this is not a protobuf \u00ff\u00fe');
    const r = run('describe', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lic-dse: .*x\.onnx: not an ONNX model/);
  });
});

describe('ONNX files on the command line', () => {
  it('import writes a descriptor that describe reads like a zoo model; describe takes the .onnx too', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-imp-'));
    const out = path.join(dir, 'hp.json');
    const r = run('import', path.join(FIX, 'hyperprior.onnx'), '--out', out, '--name', 'student');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${counts.hyperprior.macs} MACs`);
    const a = JSON.parse(run('describe', out, '--res', '64x64', '--json').stdout);
    const b = JSON.parse(run('describe', path.join(FIX, 'hyperprior.onnx'), '--res', '64x64', '--json').stdout);
    expect(a.model).toBe('student');
    expect(a.totals).toEqual(b.totals);
    expect(a.totals.macs).toBe(counts.hyperprior.macs);
  });
  it('explore takes an .onnx model', () => {
    const r = run('explore', '--model', path.join(FIX, 'window_attention.onnx'), '--platform', 'kv260', '--res', '64x64', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).model).toBe('window_attention');
  });
});

describe('sweeps take an .onnx model', () => {
  it('runs one job of a sweep over the attention fixture and reports its layers', async () => {
    const { runSweep } = await import('../../src/sweep/sweep.js');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'lic-sw-')), 'r');
    await runSweep({
      sweep: { schema: 'lic-dse/sweep@1', models: [path.join(FIX, 'window_attention.onnx')], platforms: ['kv260'], precisions: ['int8'], res: ['64x64'], arch: ['engine'], path: ['encode'] },
      out, jobs: 1, charts: false, progress: false,
    });
    const layers = readFileSync(path.join(out, 'layers.csv'), 'utf8');
    expect(layers).toContain('block,attn/MatMul,matmul');
    expect(layers).toContain('block,mlp/mlp.1/Gelu,gelu');
  });
});
