import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { loadSweep, resolveSweep, type ResolvedSweep } from '../sweep/config.js';
import { runSweep, SweepAborted, type SweepSummary } from '../sweep/sweep.js';
import { parseParams } from './args.js';
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
  return `wrote ${s.out}: ${s.ran} design points${s.ran < s.total ? ` (of ${s.total})` : ''}, ${s.ok} explored, ${s.failed} failed; `
    + `${s.layerRows} layer rows, ${s.paretoRows} Pareto rows, ${s.charts} charts; ${s.seconds.toFixed(1)} s\n`;
}

export function sweepCommand(y: Argv) {
  return y.command('sweep', 'explore every combination of models × boards × precisions × resolutions × templates × paths and write a report', (a) => a
    .option('config', { type: 'string', describe: 'sweep file (JSON, lic-dse/sweep@1); or give the lists below' })
    .option('models', { type: 'string', describe: 'comma list: zoo names, model files, name@variant, or "all" (default: all)' })
    .option('param', { type: 'string', array: true, describe: 'parameter override for every model, e.g. N=96' })
    .option('platforms', { type: 'string', describe: 'comma list of boards or "all" (default: zcu102,kv260,u50)' })
    .option('precisions', { type: 'string', describe: 'comma list (default: int8,int16)' })
    .option('res', { type: 'string', describe: 'comma list of WIDTHxHEIGHT (default: 1280x720,1920x1080)' })
    .option('arch', { type: 'string', describe: 'engine,pipeline,dpu,gpu (default: engine,pipeline; dpu and gpu are the baselines)' })
    .option('path', { type: 'string', describe: 'encode,decode (default: both)' })
    .option('pad', { choices: ['stride', 'same'] as const })
    .option('clock', { type: 'number', describe: 'MHz for every board (default: each board\'s typical clock)' })
    .option('caps', { type: 'string', describe: 'e.g. dsp=0.8,bram18=0.8,lut=0.7' })
    .option('entropy-rate', { type: 'number', describe: 'entropy coder symbols/s (default: each board\'s CPU)' })
    .option('out', { type: 'string', demandOption: true, describe: 'report directory, e.g. reports/demo' })
    .option('jobs', { type: 'number', default: availableParallelism(), describe: 'worker threads' })
    .option('shard', { type: 'string', describe: 'run shard k/n only (jobs with index % n == k-1); join with `lic-dse merge`' })
    .option('charts', { type: 'boolean', default: true, describe: 'PNG charts (--no-charts to skip)' }), async (argv) => {
    const given = LIST_FLAGS.filter((f) => argv[f] !== undefined);
    let sweep: ResolvedSweep;
    if (argv.config) {
      if (given.length) throw new UserError(`give --config or the lists (--${given.join(', --')}), not both`, { field: 'config' });
      sweep = loadSweep(argv.config);
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
    const summary = await runInterruptible((signal) => runSweep({ sweep, out: argv.out, jobs: argv.jobs, shard: argv.shard, charts: argv.charts, signal }));
    process.stdout.write(summaryText(summary));
  });
}
