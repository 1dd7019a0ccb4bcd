import { DEFAULT_RES } from '../mapping/load.js';
import { PRECISION_HELP } from '../platform/precision.js';
import { platformNames } from '../platform/load.js';
import { zooNames } from '../workload/load.js';

/**
 * The options several commands share, described once so that every `--help` says the same thing and lists
 * the valid names (zoo models and boards are read from the package's folders, a directory listing each).
 */

export { DEFAULT_RES };

export const modelOpt = () => ({ type: 'string', describe: `zoo name (${zooNames().join(', ')}) or a model .json file` } as const);
export const platformOpt = () => ({ type: 'string', describe: `board (${platformNames().join(', ')}) or a board .json file` } as const);
export const variantOpt = { type: 'string', describe: 'model variant, e.g. q3 (`lic-dse models` lists them; default: the model\'s own)' } as const;
export const paramOpt = { type: 'string', array: true, describe: 'override a channel parameter, e.g. N=96 (repeatable): a pruned or distilled student' } as const;
export const precisionOpt = { type: 'string', default: 'int8', describe: `precision of weights and activations: ${PRECISION_HELP}` } as const;
export const resOpt = { type: 'string', default: DEFAULT_RES, describe: 'input resolution WIDTHxHEIGHT' } as const;
export const padOpt = { choices: ['stride', 'same'] as const, default: 'stride' as const, describe: 'stride: pad the image to a multiple of the total stride (CompressAI); same: round up at each strided layer (tensorflow-compression)' };
export const clockOpt = { type: 'number', describe: 'design clock in MHz (default: the board\'s typical HLS kernel clock)' } as const;
export const capsOpt = { type: 'string', describe: 'fraction of each resource the design may use, e.g. dsp=0.8,bram18=0.8,lut=0.7 (default: FINN\'s 0.8 DSP/BRAM/URAM, 0.7 LUT, 0.5 FF)' } as const;
export const entropyOpt = { type: 'number', describe: 'entropy coder throughput in symbols/s (default: the board\'s CPU figure)' } as const;
export { jsonOpt, wideOpt } from './flags.js';
