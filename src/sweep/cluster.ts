import path from 'node:path';
import { UserError } from '../errors.js';
import type { Shard } from './jobs.js';

/**
 * `--shard auto`: the shard this process runs, from the environment a cluster scheduler gives each task.
 * - Slurm job arrays: SLURM_ARRAY_TASK_ID among SLURM_ARRAY_TASK_COUNT tasks, counted from
 *   SLURM_ARRAY_TASK_MIN (an array 0-3 and an array 1-4 are both shards 1/4..4/4); a step other than 1
 *   would leave shards unrun, so it is refused.
 *   (https://slurm.schedmd.com/job_array.html, "Job Array Environment Variables")
 * - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX, 0-based; the count is not in the environment, so it
 *   is given (`--shard-count`, the Job's spec.completions).
 *   (https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode)
 */
export function shardFromEnv(env: Record<string, string | undefined>, count?: number): Shard {
  const int = (name: string, min: number) => {
    const v = env[name];
    if (v === undefined || !/^\d+$/.test(v.trim()) || Number(v) < min) {
      throw new UserError(`--shard auto: ${name}=${JSON.stringify(v)} is not a whole number ≥ ${min}`, { field: 'shard' });
    }
    return Number(v);
  };
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = int('SLURM_ARRAY_TASK_ID', 0);
    const n = int('SLURM_ARRAY_TASK_COUNT', 1);
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : int('SLURM_ARRAY_TASK_MIN', 0);
    const step = env.SLURM_ARRAY_TASK_STEP === undefined ? 1 : int('SLURM_ARRAY_TASK_STEP', 1);
    if (step !== 1) throw new UserError(`--shard auto: the Slurm array has step ${step}; submit it with step 1 (e.g. --array=1-${n}), one task per shard`, { field: 'shard' });
    const k = id - min + 1;
    if (k < 1 || k > n) throw new UserError(`--shard auto: SLURM_ARRAY_TASK_ID=${id} is outside the array's ${n} tasks from ${min}`, { field: 'shard' });
    if (count !== undefined && count !== n) throw new UserError(`--shard-count ${count} does not match the Slurm array's ${n} tasks`, { field: 'shard-count' });
    return { k, n };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = int('JOB_COMPLETION_INDEX', 0);
    if (count === undefined) throw new UserError('--shard auto in a Kubernetes Indexed Job needs --shard-count (the Job\'s spec.completions)', { field: 'shard-count' });
    if (index >= count) throw new UserError(`--shard auto: JOB_COMPLETION_INDEX=${index} is not below --shard-count ${count}`, { field: 'shard' });
    return { k: index + 1, n: count };
  }
  throw new UserError('--shard auto: not a Slurm array task (no SLURM_ARRAY_TASK_ID) nor a Kubernetes Indexed Job (no JOB_COMPLETION_INDEX); give --shard k/n', { field: 'shard' });
}

export interface SlurmScriptOptions {
  /** The sweep, as sweep.json holds it (written by the script, read by every task). */
  sweepJson: string;
  /** The merged report's directory; shards go to <out>.shards/<k>. Absolute. */
  out: string;
  shards: number;
  /** Worker threads per task (and the CPUs each task asks Slurm for). */
  jobs: number;
  /** The command that runs lic-dse on the cluster's nodes, e.g. `node /opt/lic-dse/dist/bin/main.js`. */
  command: string;
  /** Working directory of the jobs. Absolute. */
  cwd: string;
  /** Per-point PNGs (sweep --point-charts). */
  pointCharts?: boolean;
  /** Board PNGs (false: sweep/merge --no-charts). */
  charts?: boolean;
}

/** Quote for a POSIX shell (single quotes). */
export const shq = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * A script to run once on a Slurm login node (`bash <file>`): it writes the sweep file beside the
 * shards, submits a job array with one task per shard (`sweep --shard auto`), then the merge as a job
 * that starts only when every task has succeeded (--dependency=afterok). Prints both job ids.
 * (sbatch reads a batch script from standard input when no file is named: https://slurm.schedmd.com/sbatch.html)
 */
export function slurmScript(o: SlurmScriptOptions): string {
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new UserError(`--shard-count ${o.shards} is not a positive integer`, { field: 'shard-count' });
  const shardsDir = `${o.out}.shards`;
  const dirs = Array.from({ length: o.shards }, (_, i) => shq(path.join(shardsDir, String(i + 1))));
  const charts = o.charts === false ? ' --no-charts' : '';
  const sweepFlags = `${charts}${o.pointCharts ? ' --point-charts' : ''}`;
  const marker = 'LIC_DSE_SWEEP_JSON';
  if (o.sweepJson.includes(marker)) throw new Error('the sweep file contains the here-document marker');
  return `#!/bin/bash
# lic-dse sweep on Slurm: ${o.shards} array tasks (one shard each), then a merge job once all have succeeded.
# Run once on a login node: bash <this file>. Shards go to ${shardsDir}/<k>, the report to ${o.out}.
set -euo pipefail
shards=${shq(shardsDir)}
mkdir -p "$shards"
cat > "$shards/sweep.json" <<'${marker}'
${o.sweepJson.replace(/\n$/, '')}
${marker}
array=$(sbatch --parsable <<'EOF'
#!/bin/bash
#SBATCH --job-name=lic-dse-sweep
#SBATCH --array=1-${o.shards}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=${o.jobs}
#SBATCH --chdir=${shq(o.cwd)}
#SBATCH --output=${shq(path.join(shardsDir, 'slurm-%A_%a.out'))}
set -euo pipefail
exec ${o.command} sweep --config ${shq(path.join(shardsDir, 'sweep.json'))} --out ${shq(shardsDir)}/"$SLURM_ARRAY_TASK_ID" --shard auto --jobs ${o.jobs}${sweepFlags}
EOF
)
array=\${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" <<'EOF'
#!/bin/bash
#SBATCH --job-name=lic-dse-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --chdir=${shq(o.cwd)}
#SBATCH --output=${shq(path.join(shardsDir, 'slurm-merge-%j.out'))}
set -euo pipefail
exec ${o.command} merge ${dirs.join(' ')} --out ${shq(o.out)}${charts}
EOF
)
echo "submitted: sweep array $array (${o.shards} tasks), merge \${merge%%;*} after it"
`;
}
