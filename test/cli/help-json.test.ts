import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/util/suggest.js';
import { fmtNum, textTable } from '../../src/report/table.js';
import { runCli } from '../spawn.js';
import { runCli as inProcess } from '../inproc.js';
import { COMMANDS as COMMAND_LIST } from '../../src/cli/commands.js';

const CLI = path.resolve('dist/bin/main.js');
/**
 * Commands that search (explore, sweep, fit) run as the built CLI in a child process: a search is long and
 * synchronous, and in this worker it would hold the event loop. The rest (help texts, listings, reading and
 * writing files) run in this process (test/inproc.ts), without a node start-up each; the binary itself is
 * tested by test/cli/cli.test.ts.
 */
const SEARCHES = new Set(['explore', 'sweep', 'fit']);
const run = async (...args: string[]) => {
  if (SEARCHES.has(args[0]) && !args.includes('--help')) return runCli(CLI, args);
  const r = await inProcess(...args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};

// Every command the CLI has, from its one list: a new command is held to the same standard.
const COMMANDS = Object.keys(COMMAND_LIST);

/** The options section of a --help text: each option with the text yargs printed beside it. */
function optionDescriptions(help: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  let inOptions = false;
  for (const line of help.split('\n')) {
    if (/^(Options|Positionals):/.test(line)) { inOptions = true; continue; }
    if (/^\S/.test(line)) { inOptions = false; current = undefined; continue; }
    if (!inOptions) continue;
    const m = /^ {2}(--[\w-]+|\w+)\s+(.*)$/.exec(line);
    if (m) {
      current = m[1];
      out.set(current, m[2]);
    } else if (current) {
      out.set(current, `${out.get(current)} ${line.trim()}`);
    }
  }
  return out;
}

describe('every command explains itself', () => {
  for (const c of COMMANDS) {
    it(`${c} --help describes every option and shows an example`, async () => {
      const r = await run(c, '--help');
      expect(r.status, r.stderr).toBe(0);
      const opts = optionDescriptions(r.stdout);
      expect(opts.size).toBeGreaterThan(2);
      for (const [name, text] of opts) {
        // What is left once yargs' own annotations ([string], [default: …], [choices: …]) are removed.
        const words = text.replace(/\[[^\]]*\]/g, '').trim();
        expect(words.length, `${c} ${name} has no description`).toBeGreaterThan(3);
      }
      expect(r.stdout, `${c} has no example`).toMatch(/Examples:\n {2}lic-dse /);
    });
  }
  it('the top-level help lists every command', async () => {
    const r = await run('--help');
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`lic-dse ${c}\\b`));
  });
});

describe('did you mean', () => {
  it('a misspelt command names the closest one on one line, exit 2', async () => {
    const r = await run('explre', '--model', 'mbt2018');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lic-dse: unknown command "explre" — did you mean "explore"\?/);
  });
  it('a misspelt model and board name the closest', async () => {
    expect((await run('describe', 'mbt2081')).stderr).toMatch(/unknown model "mbt2081" — did you mean "mbt2018"\?/);
    expect((await run('platform', 'zcu012')).stderr).toMatch(/unknown platform "zcu012" — did you mean "zcu102"\?/);
  });
  it('the cost tables are not boards', async () => {
    const r = await run('platform', 'dsp-packing');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown platform "dsp-packing" \(built-in: kv260, u50, zcu102;/);
  });
  it('closest() against hand-worked distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('zcu12', ['kv260', 'u50', 'zcu102'])).toBe('zcu102');
    expect(closest('bmshj', ['bmshj2018-factorized', 'bmshj2018-hyperprior'])).toBeUndefined();
    expect(closest('bmshj2018-h', ['bmshj2018-factorized', 'bmshj2018-hyperprior'])).toBe('bmshj2018-hyperprior');
    expect(closest('xyz', ['kv260', 'u50', 'zcu102'])).toBeUndefined();
  });
});

describe('terminal output fits 120 columns', () => {
  it('textTable shortens the widest text columns, never numbers', () => {
    const t = textTable(['name', 'n', 'source'], [['a'.repeat(50), 123456, 'b'.repeat(200)]], { maxWidth: 60 });
    for (const line of t.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(t).toContain('123,456');
    expect(t).toContain('…');
  });
  it('one number style: separators from 100 up, four significant digits below', () => {
    expect(fmtNum(55000)).toBe('55,000');
    expect(fmtNum(73242.23)).toBe('73,242.2');
    expect(fmtNum(15.2634)).toBe('15.26');
  });
  for (const args of [['platform', 'zcu102'], ['models'], ['describe', 'zou2022-stf']]) {
    it(`${args.join(' ')} fits 120 characters a line (--wide gives all)`, async () => {
      const r = await run(...args);
      expect(r.status, r.stderr).toBe(0);
      for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(120);
      if (args[0] === 'platform') expect(Math.max(...(await run(...args, '--wide')).stdout.split('\n').map((l) => l.length))).toBeGreaterThan(120);
    });
  }
});

describe('--json on every command parses', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lic-json-'));
  const point = path.join(dir, 'p.json');
  const sweep = path.join(dir, 'sweep.json');
  writeFileSync(sweep, JSON.stringify({ schema: 'lic-dse/sweep@1', models: ['bmshj2018-hyperprior'], platforms: ['zcu102'], precisions: ['int8'], res: ['256x256'], arch: ['engine'], path: ['encode'] }));
  const cases: [string, string[]][] = [
    ['models', ['models']],
    ['describe', ['describe', 'balle2017', '--res', '256x256']],
    ['platforms', ['platforms']],
    ['platform', ['platform', 'kv260']],
    ['explore', ['explore', '--model', 'bmshj2018-hyperprior', '--param', 'N=16', '--param', 'M=24', '--platform', 'zcu102', '--res', '64x64', '--save', point]],
    ['evaluate', ['evaluate', '--point', point]],
    ['emit', ['emit', '--point', point, '--out', path.join(dir, 'hls')]],
    ['sweep', ['sweep', '--config', sweep, '--out', path.join(dir, 'r1'), '--jobs', '1', '--no-charts']],
    ['sweep shard', ['sweep', '--config', sweep, '--out', path.join(dir, 's1'), '--jobs', '1', '--no-charts', '--shard', '1/1']],
    ['merge', ['merge', path.join(dir, 's1'), '--out', path.join(dir, 'm'), '--no-charts']],
    ['compare', ['compare', path.join(dir, 'r1')]],
    ['student', ['student', '--model', 'bmshj2018-hyperprior', '--width', '0.5', '--round', '8', '--out', path.join(dir, 'half.json')]],
    ['fit', ['fit', '--model', 'bmshj2018-hyperprior', '--platform', 'zcu102', '--res', '128x128', '--fps', '30', '--arch', 'engine']],
    ['import', ['import', 'test/fixtures/onnx/hyperprior.onnx', '--out', path.join(dir, 'imported.json')]],
    ['calibrate', ['calibrate', 'test/fixtures/calibrate', '--table']],
    ['cluster', ['cluster', '--config', 'test/fixtures/cluster/two-zcu102.json']],
  ];
  it('covers every command of the list', () => {
    const covered = new Set(cases.map(([, args]) => args[0]));
    expect(COMMANDS.filter((c) => !covered.has(c))).toEqual([]);
  });
  for (const [what, args] of cases) {
    it(what, async () => {
      const r = await run(...args, '--json');
      expect(r.status, r.stderr).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    });
  }
  it('explore --summary leaves out the per-layer table; the text says which defaults it took', async () => {
    const r = await run('explore', '--model', 'bmshj2018-hyperprior', '--param', 'N=16', '--param', 'M=24', '--platform', 'zcu102', '--res', '64x64', '--summary');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\(defaults: --arch engine, --path encode;/);
    expect(r.stdout).not.toMatch(/\bg_a\/0\b.*\bconv\b/);
    expect(r.stdout).toContain('Pareto front');
  });
  it('explore --emit refuses a part it cannot emit before searching', async () => {
    const r = await run('explore', '--model', 'zou2022-stf', '--platform', 'zcu102', '--res', '256x256', '--emit', path.join(dir, 'stf'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lic-dse: part: model zou2022-stf has no part "g_a"/);
    expect(r.stdout).toBe('');
  });
});
