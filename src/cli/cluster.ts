import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { analyseCluster, type ClusterReport, type Headline } from '../cluster/analyse.js';
import { loadCluster } from '../cluster/load.js';
import { UserError } from '../errors.js';
import { writeClusterReport } from '../report/cluster.js';
import { fmtNum, textTable } from '../report/table.js';
import { Progress } from '../sweep/progress.js';
import { jsonOut } from './args.js';
import { jsonOpt } from './options.js';

const f2 = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(2));

function headlineRow(h: Headline, sim: number | undefined): (string | number)[] {
  return [h.failed ? `${h.failed} failed` : 'healthy', h.up, f2(h.fps), h.limit, f2(h.up ? h.latencyMs : null), f2(h.saturatedLatencyMs), sim === undefined ? '-' : f2(sim)];
}

export function clusterText(r: ClusterReport, failed: number): string {
  const out: string[] = [];
  out.push(`cluster ${r.name}: ${r.boards.length} boards, ${r.split} parallel, entropy coding on the ${r.entropy === 'board' ? 'boards' : 'master'}, master ${r.master.name} (${r.master.cores} cores) over ${r.master.link}`);
  out.push(`frame ${r.frame.width}x${r.frame.height}: ${fmtNum(r.frame.inBytes)} B to a board, ${fmtNum(r.frame.outBytes)} B back`);
  out.push('');
  out.push(textTable(['board', 'platform', 'link', 'estimate FPS', 'capacity FPS', 'bound', 'latency ms', 'availability'],
    r.boards.map((b) => [b.id, b.platform, b.link, f2(b.estimateFps), f2(b.capacityFps), b.bound, f2(b.latencyMs), b.availability.toFixed(5)])));
  out.push('');
  const sim = new Map((r.simulation?.steady ?? []).map((s) => [s.failed, s.meanFps]));
  const rows = [r.healthy, ...(failed > 0 ? [r.degradation[failed]] : []), ...r.degradation.filter((d) => d.failed > 0 && d.failed !== failed)];
  out.push(textTable(['boards', 'up', 'FPS', 'limit', 'latency ms', 'saturated ms', 'simulated FPS'], rows.map((h) => headlineRow(h, sim.get(h.failed)))));
  out.push(`caps (healthy): boards ${f2(r.healthy.boardsFps)} FPS, master link ${f2(r.healthy.masterLinkFps)} FPS, master CPU ${f2(r.healthy.masterCpuFps)} FPS`);
  out.push(r.split === 'frame'
    ? 'latency: one frame on the fastest idle board (unloaded); saturated: every board\'s window full (Little\'s law)'
    : 'latency: one image split into strips across the boards up');
  if (r.availability) {
    const a = r.availability;
    const n = a.needed;
    out.push('');
    out.push(`availability (steady state, independent boards, A = MTBF/(MTBF+MTTR) = ${a.boardAvailability.map((x) => x.toFixed(5)).filter((x, i, xs) => xs.indexOf(x) === i).join(', ')}):`);
    out.push(`  P(FPS >= ${a.targetFps}) = ${a.probability.toPrecision(6)}; long-run mean ${f2(a.expectedFps)} FPS`);
    out.push(`  boards like ${n.template} needed for P >= ${n.targetProbability}: ${n.n === null ? `none (${n.reason})` : `${n.n} (P = ${n.probability.toPrecision(6)})`}`);
  }
  if (r.tiles) {
    out.push('');
    out.push(`one image split into strips (halo ${r.tiles.haloRows} rows per interior edge; receptive field ${r.tiles.receptiveField} px from the ${r.tiles.haloFrom}):`);
    const ns = r.tiles.curves[0].points.map((p) => p.offered);
    out.push(textTable(['image', ...ns.map((n) => `N=${n} ms`)], r.tiles.curves.map((c) => [`${c.width}x${c.height}`, ...c.points.map((p) => f2(p.latencyMs))])));
    out.push(textTable(['image', ...ns.map((n) => `N=${n} used, halo`)], r.tiles.curves.map((c) => [`${c.width}x${c.height}`, ...c.points.map((p) => `${p.n}, +${(100 * p.haloOverhead).toFixed(0)}%`)])));
    out.push('(the master uses the subset of the N boards, fastest first, that gives the lowest latency)');
  }
  if (r.simulation) {
    const s = r.simulation.run;
    out.push('');
    out.push(`simulation: seed ${s.seed}, ${s.seconds} s (warm-up ${s.warmupSeconds} s), ${failed} board(s) masked, ${s.failures} random failures, ${s.recoveries} repairs`);
    out.push(`  ${f2(s.fps)} FPS; latency p50 ${f2(s.latencyMs.p50)} p90 ${f2(s.latencyMs.p90)} p99 ${f2(s.latencyMs.p99)} max ${f2(s.latencyMs.max)} ms`);
    out.push(`  frames: ${s.arrived} arrived, ${s.completed} completed, ${s.pending} pending at the end, ${s.rejected} rejected (queue full), ${s.lost} lost, ${s.duplicated} duplicated, ${s.redispatched} re-dispatched; mean detection ${(s.meanDetectionSec * 1e3).toFixed(0)} ms`);
    out.push(`  steady state (no random failures, seeds ${r.simulation.steady[0]?.seeds.join(',')}): ${r.simulation.steady.map((x) => `${x.failed} failed ${f2(x.meanFps)} vs ${f2(x.closedFormFps)} (${x.errorPct >= 0 ? '+' : ''}${x.errorPct.toFixed(2)}%)`).join('; ')}`);
  } else if (r.split === 'tile') {
    out.push('(the simulation models frame parallelism; a tile-parallel cluster has the closed form only)');
  }
  return `${out.join('\n')}\n`;
}

export function clusterCommand(y: Argv) {
  return y.command(COMMANDS.cluster.usage, COMMANDS.cluster.describe, (a) => a
    .option('config', { type: 'string', demandOption: true, describe: 'cluster file (JSON, lic-dse/cluster@1)' })
    .option('failed', { type: 'number', default: 0, describe: 'boards down (worst case: the fastest)' })
    .option('simulate', { type: 'boolean', default: false, describe: 'also run the discrete-event simulation' })
    .option('seconds', { type: 'number', default: 60, describe: 'simulated seconds' })
    .option('seed', { type: 'number', default: 1, describe: 'simulation seed' })
    .option('seeds', { type: 'number', default: 3, describe: 'seeds (seed, seed+1, ...) for the steady-state check against the closed form' })
    .option('rate', { type: 'number', describe: 'arrivals per second (default: the file\'s simulation.arrivalFps)' })
    .option('redispatch', { type: 'boolean', describe: 're-send a failed board\'s frames (default: the file\'s; --no-redispatch to count them lost)' })
    .option('mtbf-hours', { type: 'number', describe: 'every board\'s MTBF (overrides the file; small values inject failures into a short simulation)' })
    .option('mttr-hours', { type: 'number', describe: 'every board\'s MTTR (overrides the file)' })
    .option('out', { type: 'string', describe: 'write CSV, PNG and cluster.json here' })
    .option('json', jsonOpt)
    .example('$0 cluster --config examples/cluster-4xzcu102-1gbe.json --failed 1 --simulate --seconds 120', '4 ZCU102s behind a PYNQ-ZU over 1 GbE, one board down, closed form beside simulation'), async (argv) => {
    for (const k of ['mtbf-hours', 'mttr-hours'] as const) {
      if (argv[k] !== undefined && !(argv[k]! > 0)) throw new UserError(`${argv[k]} is not a duration (allowed: hours > 0)`, { field: k });
    }
    if (!Number.isInteger(argv.failed) || argv.failed < 0) throw new UserError(`${argv.failed} is not a number of boards (allowed: an integer >= 0)`, { field: 'failed' });
    if (argv.simulate) {
      if (!Number.isInteger(argv.seed) || argv.seed < 0) throw new UserError(`${argv.seed} is not a seed (allowed: an integer >= 0)`, { field: 'seed' });
      if (!Number.isInteger(argv.seeds) || argv.seeds < 1) throw new UserError(`${argv.seeds} is not a count (allowed: an integer >= 1)`, { field: 'seeds' });
      if (argv.rate !== undefined && !(argv.rate > 0)) throw new UserError(`${argv.rate} is not a rate (allowed: frames/s > 0)`, { field: 'rate' });
    }
    const tty = Progress.wanted();
    const c = loadCluster(argv.config, { progress: tty ? (m) => process.stderr.write(`${m}\n`) : undefined });
    if (argv['mtbf-hours'] !== undefined || argv['mttr-hours'] !== undefined) {
      c.model.boards = c.model.boards.map((b) => ({ ...b, mtbfHours: argv['mtbf-hours'] ?? b.mtbfHours, mttrHours: argv['mttr-hours'] ?? b.mttrHours }));
    }
    const n = c.model.boards.length;
    if (!Number.isInteger(argv.failed) || argv.failed < 0 || argv.failed > n) throw new UserError(`${argv.failed} is not a number of boards (allowed: 0..${n})`, { field: 'failed' });
    const sim = c.spec.simulation;
    if (argv.simulate) {
      if (!(argv.seconds > sim.warmupSeconds)) throw new UserError(`${argv.seconds} is not longer than the warm-up (allowed: > ${sim.warmupSeconds} s, simulation.warmupSeconds)`, { field: 'seconds' });
    }
    const report = analyseCluster(c.model, {
      failed: argv.failed,
      target: c.spec.target,
      simulate: argv.simulate && c.model.split === 'frame'
        ? {
          ...sim, seconds: argv.seconds, seed: argv.seed, arrivalFps: argv.rate ?? sim.arrivalFps, redispatch: argv.redispatch ?? sim.redispatch,
          steadySeeds: Array.from({ length: argv.seeds }, (_, i) => argv.seed + i),
        }
        : undefined,
    });
    const written = argv.out ? await writeClusterReport(report, argv.out) : [];
    const note = argv.out ? `wrote ${argv.out}: ${written.join(', ')}\n` : '';
    if (argv.json) {
      process.stderr.write(note);
      const simJson = report.simulation ? { ...report.simulation, run: { ...report.simulation.run, latenciesMs: undefined } } : null;
      return void process.stdout.write(jsonOut({ ...report, simulation: simJson }));
    }
    process.stdout.write(clusterText(report, argv.failed) + note);
  });
}
