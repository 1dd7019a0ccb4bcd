/**
 * Bounds on what a model file may ask for, checked before any work is done: a repeat count or a parameter
 * typo (1e9 instead of 192) must give one clear error, not minutes of expansion or an exhausted heap. Each
 * bound sits orders of magnitude above the largest published LIC model (ELIC / TCM: < 400 layers, ≤ 1024
 * channels, kernels ≤ 7, strides ≤ 4, 4K/8K frames) and keeps every count an exact double (≤ 2^53).
 */
export const LIMITS = {
  /** Iterations of one repeat block. */
  repeat: 4096,
  /** Repeat blocks inside repeat blocks. */
  repeatNesting: 16,
  /** Instances of one part. */
  instances: 1024,
  /** Layers of the whole model after expanding repeats and instances. */
  layers: 20_000,
  /** Channels of a layer or a part input; also heads, dim, group and slice bounds. */
  channels: 1 << 20,
  /** Kernel, window, stride, dilation and pixel-shuffle factor. */
  kernel: 1024,
  /** Zero padding (and output padding) per side. */
  padding: 4096,
  /** Width and height of the input image. */
  resolution: 1 << 16,
  /** Height or width of any feature map (up-sampling can grow the image). */
  featureSide: 1 << 20,
  /** Elements of one tensor. */
  tensorElements: 2 ** 40,
} as const;

/** Every number an expression yields, and every count summed from them, stays exact in a double. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;
