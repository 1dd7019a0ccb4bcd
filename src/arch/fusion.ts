/**
 * Which element-wise layers the engine folds into the store of the MAC layer that produces their input, and
 * which run as passes of their own — decided once, for the estimate (cost/) and the emitted kernel (emit/).
 * Folded: an activation (once per step), a pixel shuffle (once, before any residual add) and a residual add
 * whose other operand was produced earlier (not into a GDN: its store already re-reads x).
 */

export interface FusionLayer {
  id: string;
  op: string;
  /** Ids of the tensors read (the part input keeps its own key). */
  inputs: string[];
}

export type FusedRole = 'act' | 'shuffle' | 'add';

export interface FusionStep {
  /** The layer that opens the step. */
  id: string;
  mac: boolean;
  fused: { id: string; role: FusedRole }[];
  /** The residual operand read by the store, when an add is folded. */
  addFrom?: string;
  hasAct: boolean;
  hasShuffle: boolean;
  index: number;
}

const ACTS = new Set(['relu', 'leaky_relu', 'abs']);
const GDN = new Set(['gdn', 'igdn', 'gdn_simplified', 'igdn_simplified']);

/** Steps of a part in model order. `isMac` says which ops run on the array; `input` is the part input's key. */
export function fuseLayers(layers: FusionLayer[], isMac: (op: string) => boolean, input: string, engine: boolean): FusionStep[] {
  const consumers = new Map<string, number>();
  for (const l of layers) for (const r of l.inputs) consumers.set(r, (consumers.get(r) ?? 0) + 1);
  const steps: FusionStep[] = [];
  const producer = new Map<string, FusionStep>();
  const open = new Map<string, FusionStep>();
  const opOf = new Map(layers.map((l) => [l.id, l.op]));
  const newStep = (id: string, mac: boolean): FusionStep => {
    const s: FusionStep = { id, mac, fused: [], hasAct: false, hasShuffle: false, index: steps.length };
    steps.push(s);
    return s;
  };
  const fuseInto = (s: FusionStep, l: FusionLayer, from: string, role: FusedRole) => {
    s.fused.push({ id: l.id, role });
    open.delete(from);
    if (consumers.get(l.id) === 1 || !consumers.has(l.id)) open.set(l.id, s);
    producer.set(l.id, s);
  };
  for (const l of layers) {
    if (isMac(l.op)) {
      const s = newStep(l.id, true);
      producer.set(l.id, s);
      if ((consumers.get(l.id) ?? 0) <= 1) open.set(l.id, s);
      continue;
    }
    const src = l.inputs[0];
    const s = open.get(src);
    if (ACTS.has(l.op) && s && !s.hasAct && !s.addFrom) {
      s.hasAct = true;
      fuseInto(s, l, src, 'act');
      continue;
    }
    if (l.op === 'pixel_shuffle' && engine && s && !s.hasShuffle && !s.addFrom) {
      s.hasShuffle = true;
      fuseInto(s, l, src, 'shuffle');
      continue;
    }
    if (l.op === 'add') {
      let done = false;
      for (const k of [1, 0]) {
        const t = open.get(l.inputs[k]);
        const other = l.inputs[1 - k];
        const otherStep = producer.get(other);
        const gdnStore = engine && t !== undefined && GDN.has(opOf.get(t.id) ?? '');
        if (t && !t.addFrom && !gdnStore && other !== l.inputs[k] && (other === input || (otherStep && otherStep.index < t.index))) {
          t.addFrom = other;
          fuseInto(t, l, l.inputs[k], 'add');
          done = true;
          break;
        }
      }
      if (done) continue;
    }
    producer.set(l.id, newStep(l.id, false));
  }
  return steps;
}
