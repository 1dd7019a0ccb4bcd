import { RESOURCE_KINDS, type Platform, type ResourceKind } from '../platform/schema.js';
import type { Workload } from '../workload/types.js';
import type { PathLayer } from './plan.js';
import type { Estimate } from './types.js';

/** Resource rows of a baseline: the published use of a shipped design, checked against the whole device. */
export function baselineResources(used: Record<ResourceKind, number>, platform: Platform | null): { resources: Estimate['resources']; violations: string[] } {
  const resources = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, { used: used[k], available: platform ? platform.available[k] : 0, cap: 1 }])) as Estimate['resources'];
  const violations = platform ? RESOURCE_KINDS.filter((k) => used[k] > platform.available[k]).map((k) => `${k} ${used[k]} > ${platform.available[k]} (the whole device)`) : [];
  return { resources, violations };
}

/** The latent the entropy coder decodes position by position (y), if the model has one. */
export const primaryLatent = (w: Workload) => w.latents[0];

/**
 * How the decoder's sequential parts chain with the entropy coder (as in cost/evaluate.ts): Minnen 2018's
 * context loop alternates per position; Minnen 2020's slice transforms alternate with decoding each slice.
 */
export function decodeChain(w: Workload, plan: PathLayer[], serialSecondsPerFrame: number, sliceSeconds: number, sps: number, path: 'encode' | 'decode'):
  { chain: number; name: string; serial: Estimate['serial'] } {
  const y = primaryLatent(w);
  const serialLayers = plan.filter((p) => p.serial && p.kind === 'mac');
  if (serialLayers.length && y) {
    const positions = serialLayers[0].layer.outH * serialLayers[0].layer.outW;
    const per = serialSecondsPerFrame / positions + y.channels / sps;
    return { chain: positions * per, name: `serial context model at decode (${positions} positions × ${(per * 1e6).toFixed(2)} µs)`, serial: { positions, seconds: positions * per } };
  }
  if (sliceSeconds > 0 && y && path === 'decode') {
    return { chain: sliceSeconds + y.elements / sps, name: 'slice sequence at decode (slice transforms alternate with entropy decoding)', serial: null };
  }
  return { chain: 0, name: '', serial: null };
}
