import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { workloadFromDoc } from '../helpers.js';

const base = () => ({
  schema: 'lic-dse/model@1',
  name: 'user-model',
  title: 'test',
  reference: { repo: 'me/mine', path: 'model.py', commit: 'abc' },
  params: { N: 8 },
  paths: { encode: ['g_a'], decode: ['g_a'] },
  parts: [
    {
      name: 'g_a',
      input: [{ from: 'image' }],
      layers: [
        { name: 'conv0', op: 'conv', cout: 'N', kernel: 5, stride: 2 },
        { name: 'gdn0', op: 'gdn' },
      ],
    },
  ],
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a UserError');
}

describe('malformed model files give one line naming file, layer and reason', () => {
  it('accepts the base document', () => {
    expect(workloadFromDoc(base()).layers).toHaveLength(2);
  });
  it('unknown op', () => {
    const d = base();
    (d.parts[0].layers[1] as { op: string }).op = 'batchnorm';
    const m = errorOf(() => workloadFromDoc(d));
    expect(m).toMatch(/^user\.json: parts\.g_a\.gdn0\.op: unknown op "batchnorm" \(allowed: conv, /);
  });
  it('expression over an undefined parameter', () => {
    const d = base();
    (d.parts[0].layers[0] as { cout: string }).cout = 'N*K';
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/user\.json: g_a\.conv0\.cout: expression "N\*K" uses undefined parameter "K" \(defined: N\)/);
  });
  it('kernel larger than the input', () => {
    const d = base();
    (d.parts[0].layers[0] as { padding?: number }).padding = 0;
    expect(errorOf(() => workloadFromDoc(d, 4, 4))).toMatch(/user\.json: layer g_a\/conv0: kernel 5×5 is larger than the padded input 4×4/);
  });
  it('channel mismatch in a residual add', () => {
    const d = base();
    d.parts[0].layers.push({ name: 'skip', op: 'conv', cout: 'N*2', kernel: 1, stride: 2, input: '@input' } as never);
    d.parts[0].layers.push({ name: 'add', op: 'add', input: ['gdn0', 'skip'] } as never);
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/layer g_a\/add: add of 8×32×32 and 16×32×32: shapes must match/);
  });
  it('a part input taking more channels than its source has', () => {
    const d = base();
    d.parts.push({ name: 'h_a', input: [{ from: 'g_a', channels: 'N+1' } as never], layers: [{ name: 'c', op: 'conv', cout: 4, kernel: 1 } as never] });
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/parts\.h_a\.input\[0\]: takes channels \[0, 9\) of g_a, which has 8/);
  });
  it('groups that do not divide the channels', () => {
    const d = base();
    (d.parts[0].layers[0] as { groups?: number }).groups = 3;
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/groups 3 must divide C_in 3 and C_out 8/);
  });
  it('an input from a part that does not exist yet', () => {
    const d = base();
    d.parts[0].input = [{ from: 'h_s' }];
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/parts\.g_a\.input\[0\]: input from "h_s", which is not the image or an earlier part/);
  });
  it('a path naming an unknown part', () => {
    const d = base();
    d.paths.decode = ['g_s'];
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/paths\.decode: path decode names unknown part "g_s"/);
  });
  it('a layer reading a later layer', () => {
    const d = base();
    (d.parts[0].layers[0] as { input?: string }).input = 'gdn0';
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/layer conv0 reads "gdn0", which is not an earlier layer/);
  });
  it('a non-integer channel expression', () => {
    const d = base();
    (d.parts[0].layers[0] as { cout: string }).cout = 'N/3';
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/g_a\.conv0\.cout: "N\/3" = 2\.6+\d* is not a whole number/);
  });
  it('a missing required field and an unknown field', () => {
    const d = base() as Record<string, unknown>;
    delete d.reference;
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/user\.json: reference: /);
    const e = base() as Record<string, unknown>;
    (e.parts as Record<string, unknown>[])[0].colour = 'red';
    expect(errorOf(() => workloadFromDoc(e))).toMatch(/parts\[0\]: unknown field\(s\) "colour"/);
  });
  it('a pixel shuffle whose channels do not divide', () => {
    const d = base();
    d.parts[0].layers.push({ name: 'ps', op: 'pixel_shuffle', factor: 2 } as never);
    d.parts[0].layers[0].cout = 'N+2';
    expect(errorOf(() => workloadFromDoc(d))).toMatch(/pixel shuffle ×2 needs C_in divisible by 4, got 10/);
  });
  it('an unknown variant or parameter', () => {
    expect(errorOf(() => workloadFromDoc(base(), 64, 64, 'stride', { variant: 'q9' }))).toMatch(/variant: unknown variant "q9" \(allowed: none\)/);
    expect(errorOf(() => workloadFromDoc(base(), 64, 64, 'stride', { params: { Q: 3 } }))).toMatch(/param Q: unknown parameter "Q" \(allowed: N\)/);
  });
});
