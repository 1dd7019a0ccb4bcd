import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cIdent, MAX_IDENT } from '../../src/emit/names.js';
import { markdownSafe } from '../../src/emit/templates.js';
import { isOneLineError, runCli } from '../inproc.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lic-badin-'));
const MODEL = 'test/fixtures/emit/ops.json';
const point = path.join(dir, 'p.json');

async function refused(args: string[], re: RegExp) {
  const r = await runCli(...args);
  expect(r.code, r.stderr).toBe(2);
  expect(isOneLineError(r.stderr), r.stderr).toBe(true);
  expect(r.stderr).toMatch(re);
  return r;
}

beforeAll(async () => {
  const r = await runCli('explore', '--model', MODEL, '--platform', 'zcu102', '--res', '32x32', '--save', point, '--json');
  expect(r.code, r.stderr).toBe(0);
});

describe('issue 11 class 2: no stack traces', () => {
  it('explore --save into a missing folder or onto a folder: one line, no temp file left', async () => {
    const sub = path.join(dir, 'existing-folder');
    mkdirSync(sub);
    const args = ['explore', '--model', MODEL, '--platform', 'zcu102', '--res', '32x32'];
    await refused([...args, '--save', path.join(dir, 'nodir', 'p.json')], /nodir\/p\.json: cannot write: folder .*nodir does not exist/);
    await refused([...args, '--save', sub], /existing-folder: cannot write: it exists and is a folder/);
    await refused([...args, '--save', ''], /empty name/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(sub)).toEqual([]);
  });
  it('describe /dev/zero, a folder, a FIFO-like device: a clear error, no unbounded read', async () => {
    await refused(['describe', '/dev/zero'], /\/dev\/zero: is not a regular file/);
    await refused(['describe', `${dir}/`], /is a folder, not a file|cannot read file/);
    const big = path.join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024, 0x20));
    await refused(['describe', big], /big\.json: is \d+ bytes; at most 16777216 are read/);
  });
  it('300-character layer names: emitted names are shortened with a hash, the project is written', async () => {
    const long = 'x'.repeat(300);
    expect(cIdent(long).length).toBeLessThanOrEqual(MAX_IDENT);
    expect(cIdent(long)).not.toBe(cIdent(`${'x'.repeat(299)}y`));
    const doc = JSON.parse(readFileSync(MODEL, 'utf8'));
    doc.parts[0].layers[0].name = long;
    doc.parts[0].layers[1].name = `${long}\n| injected \u0007 row`;
    const m = path.join(dir, 'long.json');
    writeFileSync(m, JSON.stringify(doc));
    const p = path.join(dir, 'long-point.json');
    expect((await runCli('explore', '--model', m, '--platform', 'zcu102', '--res', '32x32', '--save', p)).code).toBe(0);
    const out = path.join(dir, 'hls-long');
    const r = await runCli('emit', '--point', p, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    // The layer table keeps one row per step: the newline, bell and pipe of the name are escaped.
    expect(readme).not.toMatch(/\n\| injected/);
    expect(readme).toContain('\\u000a\\| injected \\u0007 row');
    const names = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? names(path.join(d, e.name)) : [e.name]));
    for (const f of names(out)) expect(f.length).toBeLessThan(100);
  });
  it('emit at a resolution whose golden vectors cannot be held: one line, nothing written', async () => {
    const p = JSON.parse(readFileSync(point, 'utf8'));
    p.workload.res = '65536x65536';
    const f = path.join(dir, 'p-huge.json');
    writeFileSync(f, JSON.stringify(p));
    await refused(['emit', '--point', f, '--out', path.join(dir, 'huge-out')], /p-huge\.json: workload\.res: layer g_a\/c0 has a tensor of \d+ elements at 65536x65536; .* at most 268435456 per tensor/);
    expect(readdirSync(dir).filter((x) => x.includes('huge-out'))).toEqual([]);
  });
  it('markdownSafe escapes control characters, pipes and backticks', () => {
    expect(markdownSafe('a\nb|c`d\u0000')).toBe('a\\u000ab\\|c\\`d\\u0000');
  });
});

describe('issue 11 class 5: messages', () => {
  it('yargs choices errors are one line listing the allowed values', async () => {
    await refused(['explore', '--model', MODEL, '--platform', 'zcu102', '--arch', 'both'], /Invalid values: Argument: arch, Given: "both", Choices: "engine", "pipeline"/);
    await refused(['explore', '--model', MODEL, '--platform', 'zcu102', '--path', 'both'], /Choices: "encode", "decode"/);
    await refused(['describe', MODEL, '--pad', 'weird'], /Choices: "stride", "same"/);
  });
  it('--res -5x5 is a resolution error, not "Unknown arguments"', async () => {
    await refused(['describe', MODEL, '--res', '-5x5'], /res: "-5x5" is not a resolution \(allowed: WIDTHxHEIGHT/);
    await refused(['describe', MODEL, '--res', '99999999999999999999x1'], /too large \(allowed: 1 to 65536 pixels per side\)/);
  });
  it('numeric options: entropy rate 0 or abc, seed abc, clock abc are refused with the range', async () => {
    const args = ['explore', '--model', MODEL, '--platform', 'zcu102', '--res', '32x32'];
    await refused([...args, '--entropy-rate', '0'], /entropy-rate: 0 is out of range \(allowed: a number from 1000 to 1000000000000\)/);
    await refused([...args, '--entropy-rate', 'abc'], /entropy-rate: not a number/);
    await refused([...args, '--clock', 'abc'], /clock: not a number \(allowed: a number from 1 to 2000\)/);
    await refused(['emit', '--point', point, '--out', path.join(dir, 'never'), '--seed', 'abc'], /seed: not a number \(allowed: a whole number from 0 to 4294967295\)/);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  });
  it('a JSON syntax error is one line naming the file', async () => {
    const f = path.join(dir, 'broken.json');
    writeFileSync(f, '{\n  "schema": "lic-dse/model@1",\n  "name": ,\n}\n');
    await refused(['describe', f], /broken\.json: not valid JSON \(/);
  });
  it('errors raised after a point file is loaded name the point file', async () => {
    const p = JSON.parse(readFileSync(point, 'utf8'));
    p.workload.model = 'nosuch';
    const f = path.join(dir, 'p-unknown-model.json');
    writeFileSync(f, JSON.stringify(p));
    await refused(['evaluate', '--point', f], /p-unknown-model\.json: model: unknown model "nosuch"/);
    p.workload.model = MODEL;
    p.platform = 'zcu999';
    writeFileSync(f, JSON.stringify(p));
    await refused(['evaluate', '--point', f], /p-unknown-model\.json: platform: unknown platform "zcu999"/);
    await refused(['emit', '--point', f, '--out', path.join(dir, 'never')], /p-unknown-model\.json: platform: unknown platform "zcu999"/);
  });
});

describe('issue 11 class 3: the evaluate hang on a part input of 0 channels', () => {
  it('is refused when the model loads', async () => {
    const doc = JSON.parse(readFileSync(MODEL, 'utf8'));
    doc.parts[0].input = [{ from: 'image', channels: 0 }];
    const m = path.join(dir, 'zero.json');
    writeFileSync(m, JSON.stringify(doc));
    const p = JSON.parse(readFileSync(point, 'utf8'));
    p.workload.model = m;
    const f = path.join(dir, 'p-zero.json');
    writeFileSync(f, JSON.stringify(p));
    await refused(['evaluate', '--point', f], /p-zero\.json: .*zero\.json: parts\.g_a\.input: every input takes 0 channels/);
  });
});
