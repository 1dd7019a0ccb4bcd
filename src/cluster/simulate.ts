import { EventHeap } from './heap.js';
import { wireSec, type BoardModel, type ClusterModel } from './model.js';
import { exponential, mulberry32 } from './prng.js';
import { boardWindow, masterCpuSec, survivors } from './throughput.js';

/**
 * Discrete-event simulation of a frame-parallel cluster: a pure function of the cluster, the options and
 * the seed (no wall clock, no I/O). Resources are FIFO and modelled by reservation (each request, made in
 * event-time order, takes the resource from max(now, when it is next free)):
 * - the master's CPU cores (one send and one receive job per frame, plus entropy coding when the master codes);
 * - the master's link, one queue per direction (full duplex), and each board's link per direction; a
 *   message occupies both ends at once and arrives when the slower has carried it (cut-through), plus the
 *   fixed per-message latency of both ends;
 * - each board, a pipelined server: a frame starts when the previous one has been in for one period and
 *   its result is ready one latency later.
 * The master deals frames to the boards it believes up, each with at most `window` frames outstanding,
 * to the board whose queue would finish the frame first (join-the-shortest-expected-delay; at steady
 * state each board gets work in proportion to its speed). Boards fail after exponential times (mean
 * MTBF) and come back after exponential repairs (mean MTTR); a dead board loses every frame it holds.
 * The master notices `missedBeats` heartbeats after the failure (or at once when the board re-registers
 * after a restart) and then re-queues, in order and ahead of new frames, every frame the board had not
 * answered — or, with re-dispatch off, counts them lost. A result already on the wire when its board
 * fails still arrives; if the frame was re-dispatched meanwhile that arrival is a duplicate and is dropped.
 */

export interface SimulationOptions {
  seconds: number;
  seed: number;
  /** Poisson arrivals (frames/s) or 'saturate' (a frame is always ready when a board has room). */
  arrivalFps: number | 'saturate';
  heartbeatMs: number;
  missedBeats: number;
  redispatch: boolean;
  window: number;
  queueLimit: number;
  warmupSeconds: number;
  /** Boards masked from the start (worst case: the fastest), as in the closed form's degraded figures. */
  failed?: number;
  /** Random failures and repairs from each board's MTBF/MTTR (default true). */
  randomFailures?: boolean;
}

export interface SimulationResult {
  seed: number;
  seconds: number;
  warmupSeconds: number;
  /** Frames completed per second over [warm-up, end]. */
  fps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Sorted latencies (ms) of the frames completed after the warm-up, for a CDF. */
  latenciesMs: number[];
  arrived: number;
  completed: number;
  /** Turned away at the master (queue full). */
  rejected: number;
  /** Sent to a board that failed and never re-sent (re-dispatch off). Zero with re-dispatch on. */
  lost: number;
  /** Results that arrived for a frame already completed. */
  duplicated: number;
  /** Frames re-sent after their board was declared dead. */
  redispatched: number;
  /** Queued, in flight or at a board at the end (counted, not inferred). */
  pending: number;
  /** arrived − completed − lost − pending: zero when every frame is accounted for. */
  unaccounted: number;
  failures: number;
  recoveries: number;
  /** Mean seconds from a failure to the master declaring it. */
  meanDetectionSec: number;
  /** Per board: frames completed after the warm-up. */
  perBoard: { id: string; completed: number }[];
  events: number;
}

type Ev =
  | { time: number; seq: number; kind: 'arrival' }
  | { time: number; seq: number; kind: 'tx'; frame: number; board: number }
  | { time: number; seq: number; kind: 'delivered'; frame: number; board: number; epoch: number }
  | { time: number; seq: number; kind: 'ready'; frame: number; board: number; epoch: number }
  | { time: number; seq: number; kind: 'out'; frame: number; board: number; epoch: number }
  | { time: number; seq: number; kind: 'result'; frame: number; board: number }
  | { time: number; seq: number; kind: 'complete'; frame: number; board: number }
  | { time: number; seq: number; kind: 'fail'; board: number }
  | { time: number; seq: number; kind: 'detect'; board: number; epoch: number }
  | { time: number; seq: number; kind: 'recover'; board: number }
  | { time: number; seq: number; kind: 'rejoin'; board: number; epoch: number };
type EvBody = Ev extends infer E ? (E extends Ev ? Omit<E, 'seq'> : never) : never;

interface BoardState {
  m: BoardModel;
  up: boolean;
  /** What the master believes. */
  believedUp: boolean;
  masked: boolean;
  /** Incremented at each failure: events of an older epoch belong to work the failure destroyed. */
  epoch: number;
  /** Frames sent and not answered, in sending order. */
  outstanding: number[];
  computeFree: number;
  inFree: number;
  outFree: number;
  window: number;
  period: number;
  latency: number;
  heartbeatPhase: number;
  failedAt: number;
  completed: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] : NaN);

export function simulate(c: ClusterModel, o: SimulationOptions): SimulationResult {
  if (c.split !== 'frame') throw new Error('simulate: only frame-parallel clusters are simulated');
  const rand = mulberry32(o.seed);
  const heap = new EventHeap<Ev>();
  let seq = 0;
  const at = (e: EvBody) => { (e as Ev).seq = seq++; heap.push(e as Ev); };
  const hb = o.heartbeatMs / 1e3;
  const { inBytes, outBytes } = c.frame;
  const mIn = wireSec(inBytes, c.master.link);
  const mOut = wireSec(outBytes, c.master.link);
  const masked = new Set(c.boards.filter((b) => !survivors(c, o.failed ?? 0).includes(b)).map((b) => b.id));
  const boards: BoardState[] = c.boards.map((m) => {
    const period = Math.max(m.periodSec, wireSec(Math.max(inBytes, outBytes), m.link));
    const latency = Math.max(m.latencySec, period);
    return {
      m, up: !masked.has(m.id), believedUp: !masked.has(m.id), masked: masked.has(m.id), epoch: 0, outstanding: [],
      computeFree: 0, inFree: 0, outFree: 0,
      window: boardWindow(m, c, o.window),
      period, latency, heartbeatPhase: rand() * hb, failedAt: 0, completed: 0,
    };
  });
  const cores = Array.from({ length: c.master.cores }, () => 0);
  let masterOutFree = 0;
  let masterInFree = 0;
  const cpu = (now: number, dur: number) => {
    let k = 0;
    for (let i = 1; i < cores.length; i++) if (cores[i] < cores[k]) k = i;
    const start = Math.max(now, cores[k]);
    cores[k] = start + dur;
    return start + dur;
  };
  const sendCpu = c.master.messageSec;
  const recvCpu = masterCpuSec(c) - c.master.messageSec;

  // Frame bookkeeping: arrival time and state.
  const arrival: number[] = [];
  const done: boolean[] = [];
  const queue: number[] = [];
  const latencies: number[] = [];
  const receiving = new Map<number, number>(); // results at the master whose receive job has not finished
  let rejected = 0, lost = 0, duplicated = 0, redispatched = 0, completed = 0, completedInWindow = 0;
  let failures = 0, recoveries = 0, detections = 0, detectionSum = 0;

  const newFrame = (now: number) => {
    arrival.push(now);
    done.push(false);
    return arrival.length - 1;
  };

  const lostFlag: boolean[] = [];
  const declareDead = (b: BoardState, now: number) => {
    b.believedUp = false;
    detections++;
    detectionSum += now - b.failedAt;
    const orphans = b.outstanding.splice(0);
    if (o.redispatch) { queue.unshift(...orphans); redispatched += orphans.length; }
    else { lost += orphans.length; for (const f of orphans) lostFlag[f] = true; }
    dispatch(now);
  };

  const nextBeatAfter = (b: BoardState, t: number) => b.heartbeatPhase + Math.floor((t - b.heartbeatPhase) / hb + 1) * hb;

  /** Deal waiting frames to the boards believed up with room, fastest expected finish first. */
  const dispatch = (now: number) => {
    for (;;) {
      let best = -1;
      let bestFinish = Infinity;
      for (let i = 0; i < boards.length; i++) {
        const b = boards[i];
        if (!b.believedUp || b.outstanding.length >= b.window) continue;
        const finish = (b.outstanding.length + 1) * b.period;
        if (finish < bestFinish) { bestFinish = finish; best = i; }
      }
      if (best < 0) return;
      let f: number;
      if (queue.length) f = queue.shift()!;
      else if (o.arrivalFps === 'saturate') f = newFrame(now);
      else return;
      boards[best].outstanding.push(f);
      at({ time: cpu(now, sendCpu), kind: 'tx', frame: f, board: best });
    }
  };

  if (o.arrivalFps === 'saturate') at({ time: 0, kind: 'arrival' });
  else at({ time: exponential(rand, 1 / o.arrivalFps), kind: 'arrival' });
  if (o.randomFailures !== false) {
    boards.forEach((b, i) => {
      if (!b.masked && b.m.mtbfHours !== undefined && b.m.mttrHours !== undefined) at({ time: exponential(rand, b.m.mtbfHours * 3600), kind: 'fail', board: i });
    });
  }

  let events = 0;
  for (let e = heap.pop(); e && e.time <= o.seconds; e = heap.pop()) {
    events++;
    const now = e.time;
    switch (e.kind) {
      case 'arrival': {
        if (o.arrivalFps === 'saturate') { dispatch(now); break; }
        if (queue.length >= o.queueLimit) rejected++;
        else queue.push(newFrame(now));
        at({ time: now + exponential(rand, 1 / o.arrivalFps), kind: 'arrival' });
        dispatch(now);
        break;
      }
      case 'tx': {
        const b = boards[e.board];
        if (!b.outstanding.includes(e.frame)) break; // its board was declared dead meanwhile: the frame was re-queued
        const mStart = Math.max(now, masterOutFree);
        masterOutFree = mStart + mIn;
        const bStart = Math.max(mStart, b.inFree);
        b.inFree = bStart + wireSec(inBytes, b.m.link);
        const arrive = Math.max(masterOutFree, b.inFree) + c.master.link.latencySec + b.m.link.latencySec;
        at({ time: arrive, kind: 'delivered', frame: e.frame, board: e.board, epoch: b.epoch });
        break;
      }
      case 'delivered': {
        const b = boards[e.board];
        if (!b.up || b.epoch !== e.epoch) break; // into a dead board: stays outstanding until detected
        const start = Math.max(now, b.computeFree);
        b.computeFree = start + b.period;
        at({ time: start + b.latency, kind: 'ready', frame: e.frame, board: e.board, epoch: b.epoch });
        break;
      }
      case 'ready': {
        const b = boards[e.board];
        if (!b.up || b.epoch !== e.epoch) break;
        const start = Math.max(now, b.outFree);
        b.outFree = start + wireSec(outBytes, b.m.link);
        at({ time: start, kind: 'out', frame: e.frame, board: e.board, epoch: b.epoch });
        break;
      }
      case 'out': {
        const b = boards[e.board];
        if (!b.up || b.epoch !== e.epoch) break;
        // On the wire from here: it arrives even if the board dies now.
        const mStart = Math.max(now, masterInFree);
        masterInFree = mStart + mOut;
        const arrive = Math.max(masterInFree, now + wireSec(outBytes, b.m.link)) + c.master.link.latencySec + b.m.link.latencySec;
        at({ time: arrive, kind: 'result', frame: e.frame, board: e.board });
        break;
      }
      case 'result': {
        const b = boards[e.board];
        const k = b.outstanding.indexOf(e.frame);
        if (k >= 0) b.outstanding.splice(k, 1);
        if (done[e.frame]) { duplicated++; dispatch(now); break; }
        // A result that was on the wire when its board died still counts (the frame was written off too early).
        if (lostFlag[e.frame]) { lostFlag[e.frame] = false; lost--; }
        receiving.set(e.frame, (receiving.get(e.frame) ?? 0) + 1);
        at({ time: cpu(now, recvCpu), kind: 'complete', frame: e.frame, board: e.board });
        dispatch(now);
        break;
      }
      case 'complete': {
        const r = receiving.get(e.frame)! - 1;
        if (r) receiving.set(e.frame, r);
        else receiving.delete(e.frame);
        if (done[e.frame]) { duplicated++; break; }
        done[e.frame] = true;
        completed++;
        if (now >= o.warmupSeconds) {
          completedInWindow++;
          boards[e.board].completed++;
          latencies.push((now - arrival[e.frame]) * 1e3);
        }
        break;
      }
      case 'fail': {
        const b = boards[e.board];
        b.up = false;
        b.epoch++;
        b.failedAt = now;
        failures++;
        at({ time: nextBeatAfter(b, now) + (o.missedBeats - 1) * hb, kind: 'detect', board: e.board, epoch: b.epoch });
        at({ time: now + exponential(rand, b.m.mttrHours! * 3600), kind: 'recover', board: e.board });
        break;
      }
      case 'detect': {
        const b = boards[e.board];
        if (b.epoch !== e.epoch || !b.believedUp) break;
        declareDead(b, now);
        break;
      }
      case 'recover': {
        const b = boards[e.board];
        // A board that restarts before its failure was noticed re-registers: the master learns of the failure now.
        if (b.believedUp) declareDead(b, now);
        b.epoch++; // a new incarnation: the pending heartbeat detection of the old one no longer applies
        b.up = true;
        b.computeFree = now;
        b.inFree = now;
        b.outFree = now;
        recoveries++;
        at({ time: nextBeatAfter(b, now), kind: 'rejoin', board: e.board, epoch: b.epoch });
        at({ time: now + exponential(rand, b.m.mtbfHours! * 3600), kind: 'fail', board: e.board });
        break;
      }
      case 'rejoin': {
        const b = boards[e.board];
        if (b.epoch !== e.epoch || !b.up) break;
        b.believedUp = true;
        dispatch(now);
        break;
      }
    }
  }

  // Frames still somewhere at the end: waiting, outstanding at a board (sent, in transit, computing, lost
  // with a dead board not yet declared), or in the master's receive job; a re-dispatched frame may be in two
  // places, and a completed frame's other copy is not pending.
  const pending = [...new Set([...queue, ...boards.flatMap((b) => b.outstanding), ...receiving.keys()])].filter((f) => !done[f]).length;
  latencies.sort((x, y) => x - y);
  const span = Math.max(1e-12, o.seconds - o.warmupSeconds);
  return {
    seed: o.seed,
    seconds: o.seconds,
    warmupSeconds: o.warmupSeconds,
    fps: completedInWindow / span,
    latencyMs: {
      p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99),
      max: latencies.length ? latencies[latencies.length - 1] : NaN,
      mean: latencies.length ? latencies.reduce((s, x) => s + x, 0) / latencies.length : NaN,
    },
    latenciesMs: latencies,
    arrived: arrival.length,
    completed,
    rejected,
    lost,
    duplicated,
    redispatched,
    pending,
    unaccounted: arrival.length - completed - lost - pending,
    failures,
    recoveries,
    meanDetectionSec: detections ? detectionSum / detections : 0,
    perBoard: boards.map((b) => ({ id: b.m.id, completed: b.completed })),
    events,
  };
}
