import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadPlatform } from '../../src/platform/load.js';
import { checkOutputNumbers } from '../../src/util/finite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lic-board-'));
const zcu = () => JSON.parse(readFileSync('platforms/zcu102.json', 'utf8'));

function boardError(mut: (b: Record<string, any>) => void, raw?: Buffer): string {
  const f = path.join(dir, 'board.json');
  if (raw) writeFileSync(f, raw);
  else {
    const b = zcu();
    mut(b);
    writeFileSync(f, JSON.stringify(b, null, 2));
  }
  try {
    loadPlatform(f);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('issue 11 class 4: board numbers are range-checked, with the allowed range in the message', () => {
  const cases: [string, (b: Record<string, any>) => void, RegExp][] = [
    ['peakGBs 1e300', (b) => { b.memory.peakGBs = 1e300; }, /memory\.peakGBs: out of range \(allowed: 0\.001 to 10000\)/],
    ['entropySymbolsPerSec 1e-300', (b) => { b.cpu.entropySymbolsPerSec = 1e-300; }, /cpu\.entropySymbolsPerSec: out of range \(allowed: 1000 to 1000000000000\)/],
    ['efficiency 1.5', (b) => { b.memory.efficiency = 1.5; }, /memory\.efficiency: out of range \(allowed: above 0 to 1\)/],
    ['clock 1e6 MHz', (b) => { b.clock.maxMHz = 1e6; }, /clock\.maxMHz: out of range \(allowed: 1 to 2000\)/],
    ['dsp beyond any device', (b) => { b.resources.dsp = 2 ** 60; }, /resources\.dsp: out of range \(allowed: whole numbers 0 to 1000000\)/],
    ['negative LUTs', (b) => { b.resources.lut = -1; }, /resources\.lut: out of range/],
    ['0 memory channels', (b) => { b.memory.channels = 0; }, /memory\.channels: out of range \(allowed: whole numbers 1 to 64\)/],
  ];
  for (const [what, mut, re] of cases) it(what, () => expect(boardError(mut)).toMatch(re));
  it('invalid UTF-8 is refused, not replaced by U+FFFD', () => {
    const text = Buffer.from(JSON.stringify(zcu()), 'utf8');
    const at = text.indexOf('Evaluation');
    const bad = Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3]), text.subarray(at)]);
    expect(boardError(() => {}, bad)).toMatch(/board\.json: is not valid UTF-8 text/);
  });
  it('a JSON syntax error is one line naming the file', () => {
    expect(boardError(() => {}, Buffer.from('{\n  "schema": "lic-dse/platform@1",\n  "name": \n}\n'))).toMatch(/board\.json: not valid JSON \(/);
  });
  it('the unknown-board message lists boards only', () => {
    let msg = '';
    try { loadPlatform('nosuch'); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(/unknown platform "nosuch" \(built-in: kv260, u50, zcu102; or give a \.json file\)/);
    expect(() => loadPlatform('cost-coefficients')).toThrow(/unknown platform "cost-coefficients"/);
  });
});

describe('issue 11 class 4: the output guard', () => {
  it('names the input and the field of a non-finite or negative figure', () => {
    expect(() => checkOutputNumbers({ fps: 1, layers: [{ macs: 3 }, { macs: -5 }] }, 'p.json')).toThrow(/^p\.json: the result layers\[1\]\.macs = -5 is not a finite non-negative number/);
    expect(() => checkOutputNumbers({ fps: Infinity }, 'p.json')).toThrow(/fps = Infinity/);
    expect(() => checkOutputNumbers({ x: NaN }, 'p.json')).toThrow(/x = NaN/);
    expect(() => checkOutputNumbers({ fps: 2, ctc: null, name: 'x' }, 'p.json')).not.toThrow();
  });
});
