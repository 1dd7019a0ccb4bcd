import { z } from 'zod';
import { inRange } from '../util/range.js';
import { LIMITS } from './limits.js';

/** A size or channel count: a number, or a mathjs expression over the variant's parameters. */
export const ExprSchema = z.union([inRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), z.string().min(1).max(1000)]);
const Pair = z.union([ExprSchema, z.tuple([ExprSchema, ExprSchema])]);

export const OP_KINDS = [
  'conv', 'deconv', 'masked_conv',
  'gdn', 'igdn', 'gdn_simplified', 'igdn_simplified',
  'relu', 'leaky_relu', 'gelu', 'sigmoid', 'abs',
  'add', 'mul', 'concat', 'slice',
  'pixel_shuffle', 'pixel_unshuffle',
  'linear', 'matmul', 'softmax', 'layer_norm',
  'maxpool', 'avgpool', 'fc', 'factorized_density',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

const base = {
  name: z.string().min(1).max(1000),
  /** Earlier layer(s) of the same part this layer reads; default: the previous layer (or the part input). */
  input: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  note: z.string().optional(),
};
const convLike = {
  cout: ExprSchema,
  kernel: Pair,
  stride: Pair.default(1),
  /** A number or [ph, pw] of zero padding, or "same" (tensorflow's ceil(H/stride)). Default: kernel//2. */
  padding: z.union([Pair, z.literal('same'), z.literal('valid')]).optional(),
  dilation: Pair.default(1),
  groups: ExprSchema.default(1),
  bias: z.boolean().default(true),
};

const Conv = z.object({ ...base, op: z.literal('conv'), ...convLike }).strict();
const MaskedConv = z.object({ ...base, op: z.literal('masked_conv'), ...convLike, mask: z.enum(['A', 'B']).default('A') }).strict();
const Deconv = z.object({
  ...base, op: z.literal('deconv'), ...convLike,
  /** Default stride-1, which with padding kernel//2 makes the output exactly stride × input (CompressAI's deconv). */
  outputPadding: Pair.optional(),
}).strict();
const Gdn = z.object({ ...base, op: z.enum(['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified']) }).strict();
const Act = z.object({ ...base, op: z.enum(['relu', 'gelu', 'sigmoid', 'softmax', 'abs']) }).strict();
const Leaky = z.object({ ...base, op: z.literal('leaky_relu'), slope: inRange(-1e6, 1e6).default(0.01) }).strict();
const Binary = z.object({ ...base, op: z.enum(['add', 'mul']), input: z.array(z.string()).length(2) }).strict();
const Concat = z.object({ ...base, op: z.literal('concat'), input: z.array(z.string()).min(2) }).strict();
const Slice = z.object({ ...base, op: z.literal('slice'), start: ExprSchema, end: ExprSchema }).strict();
const Shuffle = z.object({ ...base, op: z.enum(['pixel_shuffle', 'pixel_unshuffle']), factor: ExprSchema }).strict();
const Linear = z.object({ ...base, op: z.literal('linear'), cout: ExprSchema, bias: z.boolean().default(true) }).strict();
const Matmul = z.object({
  ...base, op: z.literal('matmul'),
  /** qk: Q·Kᵀ per window from a qkv tensor of 3·dim channels → heads·window² scores; av: scores·V → dim channels. */
  form: z.enum(['qk', 'av']),
  dim: ExprSchema,
  heads: ExprSchema,
  window: ExprSchema,
  relativePositionBias: z.boolean().default(false),
}).strict();
const LayerNorm = z.object({ ...base, op: z.literal('layer_norm') }).strict();
const Pool = z.object({
  ...base, op: z.enum(['maxpool', 'avgpool']), kernel: Pair, stride: Pair.optional(),
  padding: z.union([Pair, z.literal('same'), z.literal('valid')]).default(0),
  ceilMode: z.boolean().default(false),
}).strict();
/**
 * The factorized density of an entropy bottleneck (Ballé 2018): per channel a small MLP over filters
 * (3,3,3,3), plus 3 quantiles per channel in CompressAI. Evaluated through CDF tables at inference.
 */
const Density = z.object({
  ...base, op: z.literal('factorized_density'),
  filters: z.array(inRange(1, 4096, { int: true })).max(64).default([3, 3, 3, 3]),
  quantiles: z.boolean().default(true),
}).strict();
const Fc = z.object({ ...base, op: z.literal('fc'), cout: ExprSchema, bias: z.boolean().default(true) }).strict();

export const LayerSchema = z.discriminatedUnion('op', [
  Conv, MaskedConv, Deconv, Gdn, Act, Leaky, Binary, Concat, Slice, Shuffle, Linear, Matmul, LayerNorm, Pool, Fc, Density,
]);
export type LayerSpec = z.infer<typeof LayerSchema>;

export type RepeatSpec = { repeat: string | number; var: string; layers: LayerOrRepeat[] };
export type LayerOrRepeat = LayerSpec | RepeatSpec;
export const RepeatSchema: z.ZodType<RepeatSpec> = z.lazy(() =>
  z.object({
    repeat: ExprSchema,
    var: z.string().max(100).regex(/^[a-z_][a-z0-9_]*$/i),
    layers: z.array(LayerOrRepeatSchema).min(1),
  }).strict(),
) as z.ZodType<RepeatSpec>;
export const LayerOrRepeatSchema: z.ZodType<LayerOrRepeat> = z.lazy(() =>
  z.union([RepeatSchema, LayerSchema]),
) as z.ZodType<LayerOrRepeat>;

export const PartInputSchema = z.object({
  /** "image", or the name of an earlier part (its output). */
  from: z.string().min(1),
  /** Take channels [offset, offset+channels) of that output (channel slicing, e.g. latent slices). */
  channels: ExprSchema.optional(),
  offset: ExprSchema.default(0),
}).strict();

export const PartSchema = z.object({
  name: z.string().max(100).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a part name is an identifier'),
  description: z.string().optional(),
  /** Several instances (ModuleList), e.g. one slice transform per latent slice. */
  instances: z.object({ count: ExprSchema, var: z.string().default('i') }).strict().optional(),
  /** Concatenated along channels; spatial sizes must agree (cropped to the smallest under 'same' padding). */
  input: z.array(PartInputSchema).min(1),
  layers: z.array(LayerOrRepeatSchema).min(1),
  /**
   * How the part runs: 'parallel' over all positions (a convolution), 'serial' one latent position after another
   * at decode (Minnen 2018's masked context model), 'slices' sequential over instances (Minnen 2020).
   */
  schedule: z.enum(['parallel', 'serial-decode']).default('parallel'),
}).strict();
export type PartSpec = z.infer<typeof PartSchema>;

export const ModelFileSchema = z.object({
  schema: z.literal('lic-dse/model@1'),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case id'),
  title: z.string(),
  reference: z.object({
    repo: z.string(), path: z.string(), commit: z.string(), class: z.string().optional(),
    paper: z.string().optional(), note: z.string().optional(),
  }).strict(),
  params: z.record(z.string(), inRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
  /** Derived values, evaluated in order over params (e.g. "slice": "M / num_slices"). */
  derived: z.record(z.string(), ExprSchema).default({}),
  variants: z.record(z.string(), z.record(z.string(), inRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))).default({}),
  defaultVariant: z.string().optional(),
  image: z.object({ channels: inRange(1, LIMITS.channels, { int: true }).default(3) }).strict().default({ channels: 3 }),
  /** Multiple the image is padded to under the 'stride' policy; default: the model's total stride. */
  padMultiple: ExprSchema.optional(),
  paths: z.object({ encode: z.array(z.string()).min(1), decode: z.array(z.string()).min(1) }).strict(),
  /** Parts whose outputs the entropy coder codes (y and z); default: the first part and the entropy bottleneck's input. */
  latents: z.array(z.string()).optional(),
  parts: z.array(PartSchema).min(1),
  notes: z.array(z.string()).default([]),
}).strict();
export type ModelFile = z.infer<typeof ModelFileSchema>;
