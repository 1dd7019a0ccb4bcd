import { describe, expect, it } from 'vitest';
import { totalsOf } from '../helpers.js';

/**
 * Per-part parameter counts of the reference implementations, for every zoo variant.
 * How they were obtained (nothing of that code is in this repository): the reference classes were
 * instantiated under Debian's python3-torch 1.13 and sum(p.numel() for p in module.parameters()) taken
 * per top-level submodule:
 *   CompressAI @ 869a9f5d4126d015b7de8f203fe60ee9e1608193 (compressai/models/google.py, waseda.py;
 *   (N, M) per quality from compressai/zoo/image.py cfgs), its C++ entropy-coder extension stubbed;
 *   tensorflow-compression @ dda8cb4c4364e657d13491227e886ff8014f7243 models/bls2017.py, rebuilt layer by
 *   layer in torch (TensorFlow is not packaged for Debian); kernels counted as kh·kw·Cin·Cout (tfc's RDFT
 *   kernel parameterisation stores more variables, 2,105,347 in all for 128 filters, for the same weights).
 *   tensorflow-compression models/ms2020.py likewise rebuilt in torch (MS2020Model defaults: 10 slices,
 *   max 5 support slices; num_filters is ignored, 192 hard-coded);
 *   Googolxx/STF @ bbcfe3a48f195eda1e3af4a103ae4d00b5b84331 compressai/models/cnn.py WACNN and stf.py
 *   SymmetricalTransFormer, instantiated with their default arguments (timm and the C++ extension stubbed).
 * gaussian_conditional and STF's pos_drop have no parameters and are not parts here.
 */
const REFERENCE: [string, string, Record<string, number>][] = [
  ['balle2017', 'n128', { g_a: 883584, g_s: 883587, entropy_bottleneck: 3584 }],
  ['balle2017', 'n192', { g_a: 1964352, g_s: 1964355, entropy_bottleneck: 5376 }],
  ['bmshj2018-factorized', 'q1', { entropy_bottleneck: 11712, g_a: 1493312, g_s: 1493123 }],
  ['bmshj2018-factorized', 'q2', { entropy_bottleneck: 11712, g_a: 1493312, g_s: 1493123 }],
  ['bmshj2018-factorized', 'q3', { entropy_bottleneck: 11712, g_a: 1493312, g_s: 1493123 }],
  ['bmshj2018-factorized', 'q4', { entropy_bottleneck: 11712, g_a: 1493312, g_s: 1493123 }],
  ['bmshj2018-factorized', 'q5', { entropy_bottleneck: 11712, g_a: 1493312, g_s: 1493123 }],
  ['bmshj2018-factorized', 'q6', { entropy_bottleneck: 19520, g_a: 3505664, g_s: 3505347 }],
  ['bmshj2018-factorized', 'q7', { entropy_bottleneck: 19520, g_a: 3505664, g_s: 3505347 }],
  ['bmshj2018-factorized', 'q8', { entropy_bottleneck: 19520, g_a: 3505664, g_s: 3505347 }],
  ['bmshj2018-hyperprior', 'q1', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 1040832 }],
  ['bmshj2018-hyperprior', 'q2', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 1040832 }],
  ['bmshj2018-hyperprior', 'q3', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 1040832 }],
  ['bmshj2018-hyperprior', 'q4', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 1040832 }],
  ['bmshj2018-hyperprior', 'q5', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 1040832 }],
  ['bmshj2018-hyperprior', 'q6', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 2396864 }],
  ['bmshj2018-hyperprior', 'q7', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 2396864 }],
  ['bmshj2018-hyperprior', 'q8', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 2396864 }],
  ['mbt2018-mean', 'q1', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 2992992 }],
  ['mbt2018-mean', 'q2', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 2992992 }],
  ['mbt2018-mean', 'q3', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 2992992 }],
  ['mbt2018-mean', 'q4', { entropy_bottleneck: 7808, g_a: 1493312, g_s: 1493123, h_a: 1040768, h_s: 2992992 }],
  ['mbt2018-mean', 'q5', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240 }],
  ['mbt2018-mean', 'q6', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240 }],
  ['mbt2018-mean', 'q7', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240 }],
  ['mbt2018-mean', 'q8', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240 }],
  ['mbt2018', 'q1', { entropy_bottleneck: 11712, g_a: 2891136, g_s: 2890947, h_a: 2175552, h_s: 3300192, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['mbt2018', 'q2', { entropy_bottleneck: 11712, g_a: 2891136, g_s: 2890947, h_a: 2175552, h_s: 3300192, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['mbt2018', 'q3', { entropy_bottleneck: 11712, g_a: 2891136, g_s: 2890947, h_a: 2175552, h_s: 3300192, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['mbt2018', 'q4', { entropy_bottleneck: 11712, g_a: 2891136, g_s: 2890947, h_a: 2175552, h_s: 3300192, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['mbt2018', 'q5', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240, entropy_parameters: 2822257, context_prediction: 5120640 }],
  ['mbt2018', 'q6', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240, entropy_parameters: 2822257, context_prediction: 5120640 }],
  ['mbt2018', 'q7', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240, entropy_parameters: 2822257, context_prediction: 5120640 }],
  ['mbt2018', 'q8', { entropy_bottleneck: 11712, g_a: 3505664, g_s: 3505347, h_a: 2396736, h_s: 8142240, entropy_parameters: 2822257, context_prediction: 5120640 }],
  ['cheng2020-anchor', 'q1', { entropy_bottleneck: 7808, g_a: 1857664, g_s: 5228812, h_a: 737920, h_s: 2729792, entropy_parameters: 451697, context_prediction: 819456 }],
  ['cheng2020-anchor', 'q2', { entropy_bottleneck: 7808, g_a: 1857664, g_s: 5228812, h_a: 737920, h_s: 2729792, entropy_parameters: 451697, context_prediction: 819456 }],
  ['cheng2020-anchor', 'q3', { entropy_bottleneck: 7808, g_a: 1857664, g_s: 5228812, h_a: 737920, h_s: 2729792, entropy_parameters: 451697, context_prediction: 819456 }],
  ['cheng2020-anchor', 'q4', { entropy_bottleneck: 11712, g_a: 4175040, g_s: 11750796, h_a: 1659840, h_s: 6140640, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['cheng2020-anchor', 'q5', { entropy_bottleneck: 11712, g_a: 4175040, g_s: 11750796, h_a: 1659840, h_s: 6140640, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['cheng2020-anchor', 'q6', { entropy_bottleneck: 11712, g_a: 4175040, g_s: 11750796, h_a: 1659840, h_s: 6140640, entropy_parameters: 1017344, context_prediction: 1843584 }],
  ['ms2020', 'default', { g_a: 3505664, g_s: 3505347, h_a: 4198976, h_mean_s: 2888448, h_scale_s: 2888448, cc_mean_transforms: 31732480, cc_scale_transforms: 31732480, lrp_transforms: 33524480, entropy_bottleneck: 5376 }],
  ['zou2022-wacnn', 'default', { g_a: 6928528, g_s: 6928211, h_a: 3319040, h_mean_s: 5882624, h_scale_s: 5882624, cc_mean_transforms: 15212640, cc_scale_transforms: 15212640, lrp_transforms: 15857760, entropy_bottleneck: 11712 }],
  ['zou2022-stf', 'default', { patch_embed: 720, layers: 6894858, syn_layers: 6893514, end_conv: 231891, h_a: 4397472, h_mean_s: 9749568, h_scale_s: 9749568, cc_mean_transforms: 20384064, cc_scale_transforms: 20384064, lrp_transforms: 21158208, entropy_bottleneck: 11712 }],
];

describe('parameter counts equal the reference implementation, part by part', () => {
  for (const [model, variant, parts] of REFERENCE) {
    it(`${model} ${variant}`, () => {
      const t = totalsOf(model, { variant });
      const ours = Object.fromEntries(Object.entries(t.parts).map(([k, v]) => [k, v.params]));
      expect(ours).toEqual(parts);
    });
  }
});
