import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAsync } from '../spawn.js';

// A script outside the repository imports lic-dse by its package name, as after `npm i <path or tarball>`
// (npm links a folder into node_modules; a tarball unpacks the same files there).
describe('lic-dse as a package', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-pkg-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(path.resolve('.'), path.join(dir, 'node_modules', 'lic-dse'), 'dir');
  const script = `import { exploreDesign, zooNames, DEFAULT_RES, type ExploreRequest } from 'lic-dse';
const req: ExploreRequest = { model: 'bmshj2018-hyperprior', params: { N: 16, M: 24 }, platform: 'zcu102', precision: 'int8', res: '64x64', arch: 'engine', path: 'encode' };
const r = exploreDesign(req);
const fps: number = r.best.fps;
console.log(JSON.stringify({ fps, models: zooNames().length, res: DEFAULT_RES, bottleneck: r.best.bottleneck }));
`;
  writeFileSync(path.join(dir, 'study.ts'), script);
  writeFileSync(path.join(dir, 'study.mjs'), script.replace(', type ExploreRequest', '').replace(': ExploreRequest', '').replace(': number', ''));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true }, files: ['study.ts'] }));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'study', type: 'module', private: true }));

  it('runs by package name', async () => {
    const r = await runAsync(process.execPath, ['study.mjs'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fps).toBeGreaterThan(0);
    expect(out.models).toBeGreaterThanOrEqual(9);
    expect(out.res).toBe('1280x720');
  });

  it('type-checks by package name (the request and estimate types come with it)', async () => {
    const tsc = path.resolve('node_modules/typescript/bin/tsc');
    const r = await runAsync(process.execPath, [tsc, '-p', dir]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    writeFileSync(path.join(dir, 'study.ts'), script.replace("arch: 'engine'", "arch: 'both'"));
    const bad = await runAsync(process.execPath, [tsc, '-p', dir]);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/'"both"' is not assignable/);
  });

  // `lic-dse` is the esbuild bundle of dist/cli/main.js (start-up: one module graph of a few files, not ~60).
  it('the installed command is the bundle, and it prints what the unbundled CLI prints', async () => {
    const bin = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin['lic-dse'];
    expect(bin).toBe('dist/bin/main.js');
    for (const args of [['models'], ['--help'], ['explore', '--model', 'balle2017', '--platform', 'kv260', '--res', '256x256', '--json']]) {
      const [a, b] = await Promise.all([runAsync(process.execPath, [bin, ...args]), runAsync(process.execPath, ['dist/cli/main.js', ...args])]);
      expect(a.status, a.stderr).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  it('the bundle runs a sweep on worker threads (its worker is bundled beside it)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'lic-pkg-sweep-'));
    const cfg = path.join(out, 'sweep.json');
    writeFileSync(cfg, JSON.stringify({ schema: 'lic-dse/sweep@1', models: ['balle2017'], platforms: ['kv260', 'zcu102'], res: ['256x256'], arch: ['engine'], precisions: ['int8'], path: ['encode'] }));
    const r = await runAsync(process.execPath, ['dist/bin/main.js', 'sweep', '--config', cfg, '--out', path.join(out, 'r'), '--jobs', '2', '--no-charts'], { env: { ...process.env, CI: 'true' } });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'r', 'points.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
