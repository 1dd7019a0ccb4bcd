import { describe, expect, it } from 'vitest';
import { totalsOf, workloadOf } from '../helpers.js';

// Independent hand calculations at 768×512 (DESIGN.md §3): conv MACs = Hout·Wout·Cout·Cin·K²;
// transposed conv counted over input positions Hin·Win·Cin·Cout·K²; GDN's C×C product as its own layer = H·W·C².
describe('MACs by hand at 768x512', () => {
  it('bmshj2018-hyperprior q3 (N=128, M=192)', () => {
    const N = 128, M = 192;
    const ga = 256 * 384 * N * 3 * 25 + 128 * 192 * N * N * 25 + 64 * 96 * N * N * 25 + 32 * 48 * M * N * 25;
    const gdn = 256 * 384 * N * N + 128 * 192 * N * N + 64 * 96 * N * N;
    const ha = 32 * 48 * N * M * 9 + 16 * 24 * N * N * 25 + 8 * 12 * N * N * 25;
    const hs = 8 * 12 * N * N * 25 + 16 * 24 * N * N * 25 + 32 * 48 * M * N * 9;
    const gs = 32 * 48 * M * N * 25 + 64 * 96 * N * N * 25 + 128 * 192 * N * N * 25 + 256 * 384 * N * 3 * 25;
    const igdn = 64 * 96 * N * N + 128 * 192 * N * N + 256 * 384 * N * N;
    const t = totalsOf('bmshj2018-hyperprior', { variant: 'q3' });
    expect(t.parts.g_a.macs).toBe(ga + gdn);
    expect(t.parts.h_a.macs).toBe(ha);
    expect(t.parts.h_s.macs).toBe(hs);
    expect(t.parts.g_s.macs).toBe(gs + igdn);
    expect(t.paths.encode.macs).toBe(ga + gdn + ha + hs);
    expect(t.paths.decode.macs).toBe(hs + gs + igdn);
    // zero-insertion lowering of a stride-2 transposed conv executes 4× the useful MACs
    expect(t.parts.g_s.zeroMacs).toBe(3 * gs);
  });

  it('bmshj2018-factorized q6 (N=192, M=320): GDN is its own layer', () => {
    const w = workloadOf('bmshj2018-factorized', { variant: 'q6' });
    const gdn = w.layers.find((l) => l.part === 'g_a' && l.name === '1')!;
    expect(gdn.op).toBe('gdn');
    expect(gdn.macs).toBe(256 * 384 * 192 * 192);
    expect(gdn.params).toBe(192 + 192 * 192);
    const last = w.layers.find((l) => l.part === 'g_a' && l.name === '6')!;
    expect(last.macs).toBe(32 * 48 * 320 * 192 * 25);
  });

  it('mbt2018 q3 (N=192, M=192): masked context model counts its 12 causal taps', () => {
    const M = 192;
    const w = workloadOf('mbt2018', { variant: 'q3' });
    const ctx = w.layers.find((l) => l.part === 'context_prediction')!;
    expect(ctx.macs).toBe(32 * 48 * 2 * M * M * 12);
    expect(ctx.zeroMacs).toBe(32 * 48 * 2 * M * M * 13);
    const ep = w.layers.filter((l) => l.part === 'entropy_parameters' && l.op === 'conv');
    expect(ep.map((l) => l.macs)).toEqual([32 * 48 * 640 * 768, 32 * 48 * 512 * 640, 32 * 48 * 384 * 512]);
  });

  it('mbt2018-mean q3 (N=128, M=192): h_s widens to 3M/2 then 2M', () => {
    const t = totalsOf('mbt2018-mean', { variant: 'q3' });
    expect(t.parts.h_s.macs).toBe(8 * 12 * 128 * 192 * 25 + 16 * 24 * 192 * 288 * 25 + 32 * 48 * 384 * 288 * 9);
  });

  it('cheng2020-anchor q1 (N=128): residual blocks and sub-pixel convolutions', () => {
    const N = 128;
    const t = totalsOf('cheng2020-anchor', { variant: 'q1' });
    // g_a: 3 × [conv3x3/2, conv3x3, GDN, skip 1x1/2] + 3 × [2 conv3x3] + conv3x3/2
    const sizes = [256 * 384, 128 * 192, 64 * 96];
    let ga = 0;
    sizes.forEach((hw, i) => {
      const cin = i === 0 ? 3 : N;
      ga += hw * N * cin * 9 + hw * N * N * 9 + hw * N * N + hw * N * cin + 2 * hw * N * N * 9;
    });
    ga += 32 * 48 * N * N * 9;
    expect(t.parts.g_a.macs).toBe(ga);
    // g_s: RB at 32x48, then per stage RBU (subpel 3x3 → 4N at the low res, conv3x3 + IGDN at the high res, subpel skip) + RB
    const lo = [32 * 48, 64 * 96, 128 * 192];
    let gs = 0;
    lo.forEach((hw) => {
      gs += 2 * hw * N * N * 9; // RB before the up-sampling block
      gs += 2 * hw * 4 * N * N * 9 + 4 * hw * N * N * 9 + 4 * hw * N * N; // RBU
    });
    gs += 2 * 256 * 384 * N * N * 9 + 256 * 384 * 12 * N * 9; // last RB and subpel conv to 3×4 channels
    expect(t.parts.g_s.macs).toBe(gs);
  });

  it('balle2017 (128 filters): 9x9/4 then two 5x5/2, GDN between', () => {
    const N = 128;
    const t = totalsOf('balle2017', { variant: 'n128' });
    const ga = 128 * 192 * N * 3 * 81 + 128 * 192 * N * N + 64 * 96 * N * N * 25 + 64 * 96 * N * N + 32 * 48 * N * N * 25;
    expect(t.parts.g_a.macs).toBe(ga);
  });
});

describe('MACs by hand at 768x512: channel-wise and attention families', () => {
  const macs = (model: string, part: string, name: string) => workloadOf(model).layers.find((l) => l.part === part && l.name === name)!.macs;
  it('ms2020: slice transforms see 320 + 32·min(i, 5) channels at 32x48', () => {
    expect(macs('ms2020', 'cc_mean_transforms', '0.transform.layer_0')).toBe(32 * 48 * 224 * 320 * 25);
    expect(macs('ms2020', 'cc_mean_transforms', '0.transform.layer_1')).toBe(32 * 48 * 128 * 224 * 25);
    expect(macs('ms2020', 'cc_mean_transforms', '0.transform.layer_2')).toBe(32 * 48 * 32 * 128 * 9);
    expect(macs('ms2020', 'cc_mean_transforms', '7.transform.layer_0')).toBe(32 * 48 * 224 * 480 * 25);
    expect(macs('ms2020', 'g_a', 'layer_0')).toBe(256 * 384 * 192 * 3 * 25);
  });
  it('zou2022-wacnn: window attention (dim 192, 8 heads, window 8) at 128x192', () => {
    const tokens = 128 * 192;
    expect(macs('zou2022-wacnn', 'g_a', '4.conv_b.0.attn.qkv')).toBe(tokens * 192 * 576);
    // QKᵀ and AV: every token meets the 64 tokens of its window over 192 channels.
    expect(macs('zou2022-wacnn', 'g_a', '4.conv_b.0.attn.qk')).toBe(tokens * 64 * 192);
    expect(macs('zou2022-wacnn', 'g_a', '4.conv_b.0.attn.av')).toBe(tokens * 64 * 192);
    expect(macs('zou2022-wacnn', 'g_a', '4.conv_b.0.attn.proj')).toBe(tokens * 192 * 192);
  });
  it('zou2022-stf: patch embedding and the first Swin block (dim 48, window 4, MLP ×4) at 256x384', () => {
    const tokens = 256 * 384;
    expect(macs('zou2022-stf', 'patch_embed', 'proj')).toBe(tokens * 48 * 3 * 4);
    expect(macs('zou2022-stf', 'layers', '0.blocks.0.attn.qkv')).toBe(tokens * 48 * 144);
    expect(macs('zou2022-stf', 'layers', '0.blocks.0.attn.qk')).toBe(tokens * 16 * 48);
    expect(macs('zou2022-stf', 'layers', '0.blocks.0.mlp.fc1')).toBe(tokens * 48 * 192);
    expect(macs('zou2022-stf', 'layers', '0.blocks.0.mlp.fc2')).toBe(tokens * 192 * 48);
  });
});

describe('padding policies', () => {
  it('stride: 1280x720 pads to a multiple of 64 (CompressAI) and reports it', () => {
    const w = workloadOf('bmshj2018-hyperprior', {}, 1280, 720, 'stride');
    expect(w.resolution).toEqual({ width: 1280, height: 720, paddedWidth: 1280, paddedHeight: 768 });
    expect(w.layers.find((l) => l.part === 'g_a' && l.name === '6')!.outH).toBe(48);
  });
  it('same: 720 rows ceil per strided layer (tensorflow-compression) and h_s is cropped to y', () => {
    const w = workloadOf('bmshj2018-hyperprior', {}, 1280, 720, 'same');
    expect(w.resolution.paddedHeight).toBe(720);
    const outs = w.layers.filter((l) => l.part === 'g_a' && l.op === 'conv').map((l) => l.outH);
    expect(outs).toEqual([360, 180, 90, 45]);
    const ha = w.layers.filter((l) => l.part === 'h_a' && l.op === 'conv').map((l) => l.outH);
    expect(ha).toEqual([45, 23, 12]);
    const hs = w.layers.filter((l) => l.part === 'h_s' && l.op !== 'relu').map((l) => l.outH);
    expect(hs).toEqual([24, 48, 48]);
  });
});
