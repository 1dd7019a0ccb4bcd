import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shardFromEnv, slurmScript } from '../../src/sweep/cluster.js';
import { runAsync } from '../spawn.js';
import { cli, listFiles, SMALL, tempDir, treeDiff } from './helpers.js';
import { SlurmCluster } from './slurm-cluster.js';

describe('--shard auto', () => {
  it('takes k/n from a Slurm array task, counted from the array\'s first index', () => {
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' })).toEqual({ k: 1, n: 4 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ k: 4, n: 4 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '1' })).toEqual({ k: 3, n: 3 });
  });
  it('takes k from a Kubernetes Indexed Job (0-based) and n from --shard-count', () => {
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0' }, 5)).toEqual({ k: 1, n: 5 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '4' }, 5)).toEqual({ k: 5, n: 5 });
  });
  it('says what is wrong otherwise', () => {
    const msg = (env: Record<string, string>, count?: number) => {
      try {
        shardFromEnv(env, count);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg({})).toMatch(/not a Slurm array task .* nor a Kubernetes Indexed Job/);
    expect(msg({ JOB_COMPLETION_INDEX: '2' })).toMatch(/needs --shard-count/);
    expect(msg({ JOB_COMPLETION_INDEX: '5' }, 5)).toMatch(/not below --shard-count 5/);
    expect(msg({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_STEP: '2' })).toMatch(/step 2/);
    expect(msg({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' })).toMatch(/SLURM_ARRAY_TASK_ID="x" is not a whole number/);
    expect(msg({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }, 3)).toMatch(/--shard-count 3 does not match the Slurm array's 4 tasks/);
  });
  it('the sweep CLI runs the shard the environment names', async () => {
    const dir = tempDir('auto');
    const r = await cli('sweep', ...SMALL, '--out', path.join(dir, 's'), '--shard', 'auto', '--jobs', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lic-dse: shard: --shard auto: not a Slurm array task/);
  });
});

describe('--slurm-script', () => {
  it('one array task per shard, then the merge after all of them succeed', () => {
    const s = slurmScript({ sweepJson: '{\n  "schema": "lic-dse/sweep@1"\n}\n', out: '/data/r', shards: 6, jobs: 2, command: 'node /opt/lic/dist/cli/main.js', cwd: '/data' });
    expect(s).toMatch(/^#!\/bin\/bash\n/);
    expect(s).toContain('#SBATCH --array=1-6');
    expect(s).toContain('#SBATCH --cpus-per-task=2');
    expect(s).toContain('sweep --config /data/r.shards/sweep.json --out /data/r.shards/"$SLURM_ARRAY_TASK_ID" --shard auto --jobs 2');
    expect(s).toContain('sbatch --parsable --dependency=afterok:"$array"');
    expect(s).toContain(`merge ${[1, 2, 3, 4, 5, 6].map((k) => `/data/r.shards/${k}`).join(' ')} --out /data/r`);
  });
});

/**
 * A real Slurm (Debian's slurm-wlm: slurmctld + slurmd on this machine, started and stopped here): the
 * script of `sweep --slurm-script` submits a 4-task array and the merge; the merged report must be
 * byte-identical to a one-process run. No skip: if Slurm cannot start, the test fails and says why.
 */
describe('a sweep on a real single-node Slurm', () => {
  const cluster = new SlurmCluster();
  afterAll(() => cluster.stop());

  it('sweep --slurm-script: 4 array tasks and a dependent merge give exactly the one-process report', async () => {
    const dir = tempDir('slurm');
    const one = path.join(dir, 'one');
    const r1 = await cli('sweep', ...SMALL, '--out', one, '--jobs', '1');
    expect(r1.status, r1.stderr).toBe(0);

    const merged = path.join(dir, 'merged');
    const gen = await cli('sweep', ...SMALL, '--out', merged, '--jobs', '1', '--slurm-script', '--shard-count', '4');
    expect(gen.status, gen.stderr).toBe(0);
    const script = path.join(dir, 'submit.sh');
    writeFileSync(script, gen.stdout);

    await cluster.start();
    const sub = await runAsync('bash', [script], { env: cluster.env, cwd: dir });
    expect(sub.status, sub.stderr).toBe(0);
    expect(sub.stdout).toMatch(/^submitted: sweep array \d+ \(4 tasks\), merge \d+ after it$/m);
    const logs = () => readdirSync(`${merged}.shards`).filter((f) => f.endsWith('.out')).map((f) => `${f}:\n${readFileSync(path.join(`${merged}.shards`, f), 'utf8')}`).join('\n');
    await cluster.drain(logs);

    expect(readdirSync(`${merged}.shards`).filter((f) => /^slurm-\d+_\d+\.out$/.test(f))).toHaveLength(4);
    for (const k of [1, 2, 3, 4]) expect(JSON.parse(readFileSync(path.join(`${merged}.shards`, String(k), 'sweep.json'), 'utf8')).shard).toBe(`${k}/4`);
    expect(listFiles(merged).length, logs()).toBeGreaterThan(5);
    expect(treeDiff(one, merged)).toEqual([]);
  });
});
