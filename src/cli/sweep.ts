import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { UserError, withFile } from '../errors.js';
import { loadSweep, resolveSweep, sweepJson, type ResolvedSweep } from '../sweep/config.js';
import { shardFromEnv, shq, slurmScript } from '../sweep/cluster.js';
import type { Shard } from '../sweep/jobs.js';
import { prestartWorkers } from '../sweep/pool.js';
import { runSweep, SweepAborted, type SweepSummary } from '../sweep/sweep.js';
import { jsonOut, parseParams } from './args.js';
import { jsonOpt } from './options.js';
import { PRECISION_HELP } from '../platform/precision.js';
import { platformNames } from '../platform/load.js';
import { zooNames } from '../workload/load.js';
import { parseCaps } from './explore.js';

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));
const LIST_FLAGS = ['models', 'platforms', 'precisions', 'res', 'arch', 'path', 'pad', 'clock', 'caps', 'entropy-rate', 'param'] as const;

/** Run a sweep with Ctrl-C (SIGINT) and SIGTERM aborting it cleanly: workers stopped, nothing half-written. */
export async function runInterruptible(run: (signal: AbortSignal) => Promise<SweepSummary>): Promise<SweepSummary> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await run(ac.signal);
  } catch (e) {
    if (e instanceof SweepAborted) {
      process.stderr.write(`lic-dse: ${e.message}\n`);
      process.exit(130);
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export function summaryText(s: SweepSummary): string {
  return `wrote ${s.out}: ${s.ran} design points${s.ran < s.total ? ` (of ${s.total})` : ''}, ${s.ok} explored, ${s.failed} without a design (see the error column of points.csv); `
    + `${s.layerRows} layer rows, ${s.paretoRows} Pareto rows, ${s.charts} charts; ${s.seconds.toFixed(1)} s\n`;
}

export function sweepCommand(y: Argv) {
  return y.command(COMMANDS.sweep.usage, COMMANDS.sweep.describe, (a) => a
    .option('config', { type: 'string', describe: 'sweep file (JSON, lic-dse/sweep@1); or give the lists below' })
    .option('models', { type: 'string', describe: `comma list of zoo names (${zooNames().join(', ')}), model files, name@variant, or "all" (default: all)` })
    .option('param', { type: 'string', array: true, describe: 'parameter override for every model, e.g. N=96' })
    .option('platforms', { type: 'string', describe: `comma list of boards (${platformNames().join(', ')}), board files, or "all" (default: zcu102,kv260,u50)` })
    .option('precisions', { type: 'string', describe: `comma list of ${PRECISION_HELP} (default: int8,int16)` })
    .option('res', { type: 'string', describe: 'comma list of WIDTHxHEIGHT (default: 1280x720,1920x1080)' })
    .option('arch', { type: 'string', describe: 'templates, comma list of engine, pipeline, dpu, gpu (default: engine,pipeline; dpu and gpu are the baselines: Vitis AI DPU, GPU roofline)' })
    .option('path', { type: 'string', describe: 'paths, comma list of encode, decode (default: both)' })
    .option('pad', { choices: ['stride', 'same'] as const, describe: 'padding policy: stride (CompressAI) or same (tensorflow-compression) (default: stride)' })
    .option('clock', { type: 'number', describe: 'MHz for every board (default: each board\'s typical clock)' })
    .option('caps', { type: 'string', describe: 'e.g. dsp=0.8,bram18=0.8,lut=0.7' })
    .option('entropy-rate', { type: 'number', describe: 'entropy coder symbols/s (default: each board\'s CPU)' })
    .option('out', { type: 'string', demandOption: true, describe: 'report directory, e.g. reports/demo' })
    .option('jobs', { type: 'number', default: availableParallelism(), describe: 'worker threads (default: one per core)' })
    .option('shard', { type: 'string', describe: 'run shard k/n only (jobs with index % n == k-1), or "auto": k/n from a Slurm array task (SLURM_ARRAY_TASK_ID, _COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX and --shard-count); join with `lic-dse merge`' })
    .option('shard-count', { type: 'number', describe: 'number of shards: of a Kubernetes Indexed Job (its completions) with --shard auto, or of the --slurm-script array' })
    .option('slurm-script', { type: 'boolean', default: false, describe: 'print a script that submits the sweep to Slurm (an array of --shard-count tasks, then the merge into --out) instead of running it' })
    .option('charts', { type: 'boolean', default: true, describe: 'the per-board PNG charts (--no-charts to skip)' })
    .option('point-charts', { type: 'boolean', default: false, describe: 'also two PNGs per design point in charts/points/ (index.html draws them in any case)' })
    .option('json', jsonOpt)
    .example('$0 sweep --config examples/demo-sweep.json --out reports/demo', 'the demo sweep (what `npm run demo` runs)')
    .example('$0 sweep --models mbt2018,bmshj2018-hyperprior@q5 --platforms zcu102,kv260 --precisions int8 --res 1280x720 --path decode --out reports/decoders', 'two decoders on two boards, both templates'), async (argv) => {
    // The workers start while the sweep is read and checked (a bad sweep exits before they are used).
    if (!argv['slurm-script'] && Number.isInteger(argv.jobs) && argv.jobs > 1) prestartWorkers(argv.jobs);
    const given = LIST_FLAGS.filter((f) => argv[f] !== undefined);
    let sweep: ResolvedSweep;
    if (argv.config) {
      if (given.length) throw new UserError(`give --config or the lists (--${given.join(', --')}), not both`, { field: 'config' });
      const file = argv.config;
      sweep = withFile(file, () => loadSweep(file));
    } else {
      const params = parseParams(argv.param);
      const models = list(argv.models);
      const withParams = Object.keys(params).length > 0;
      if (withParams && (!models || argv.models === 'all')) throw new UserError('--param needs the models it applies to (--models a,b)', { field: 'param' });
      sweep = resolveSweep({
        ...(models ? { models: argv.models === 'all' ? 'all' : withParams ? models.map((m) => ({ model: m, params })) : models } : {}),
        ...(argv.platforms ? { platforms: argv.platforms === 'all' ? 'all' : list(argv.platforms) } : {}),
        ...(argv.precisions ? { precisions: list(argv.precisions) } : {}),
        ...(argv.res ? { res: list(argv.res) } : {}),
        ...(argv.arch ? { arch: list(argv.arch) } : {}),
        ...(argv.path ? { path: list(argv.path) } : {}),
        ...(argv.pad ? { pad: argv.pad } : {}),
        ...(argv.clock !== undefined ? { clockMHz: argv.clock } : {}),
        ...(argv.caps ? { caps: parseCaps(argv.caps) } : {}),
        ...(argv['entropy-rate'] !== undefined ? { entropySymbolsPerSec: argv['entropy-rate'] } : {}),
      }, 'sweep arguments');
    }
    const count = argv['shard-count'];
    if (count !== undefined && !(Number.isInteger(count) && count >= 1)) throw new UserError(`--shard-count ${count} is not a positive integer`, { field: 'shard-count' });
    if (argv['slurm-script']) {
      if (argv.shard !== undefined) throw new UserError('give --slurm-script or --shard, not both (the script runs the shards)', { field: 'shard' });
      if (count === undefined) throw new UserError('--slurm-script needs --shard-count (the number of array tasks)', { field: 'shard-count' });
      process.stdout.write(slurmScript({
        sweepJson: sweepJson(sweep), out: path.resolve(argv.out), shards: count, jobs: argv.jobs, cwd: process.cwd(),
        command: `${shq(process.execPath)} ${shq(fileURLToPath(new URL('./main.js', import.meta.url)))}`, charts: argv.charts, pointCharts: argv['point-charts'],
      }));
      return;
    }
    let shard: string | Shard | undefined = argv.shard;
    if (shard?.trim() === 'auto') shard = shardFromEnv(process.env, count);
    else if (count !== undefined) throw new UserError('--shard-count goes with --shard auto or --slurm-script', { field: 'shard-count' });
    const opts = { sweep, out: argv.out, jobs: argv.jobs, shard, charts: argv.charts, pointCharts: argv['point-charts'] };
    const summary = await runInterruptible((signal) => runSweep({ ...opts, signal }));
    process.stdout.write(argv.json ? jsonOut(summary) : summaryText(summary));
  });
}
