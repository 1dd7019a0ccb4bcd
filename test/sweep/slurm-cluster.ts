import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync } from 'node:fs';
import { runAsync, type Ran } from '../spawn.js';

/**
 * A real single-node Slurm for a test: slurmctld and slurmd (Debian's slurm-wlm) on this machine, with a
 * minimal slurm.conf in a temporary directory, free TCP ports, no munge (auth/none, cred/none), no
 * accounting and no cgroups. Started by `start`, stopped by `stop` (scontrol shutdown, then the pids it
 * started, if still alive); nothing is left running and the directory is removed.
 * Reference: https://slurm.schedmd.com/slurm.conf.html
 */
export class SlurmCluster {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lic-slurmd-'));
  readonly conf = path.join(this.dir, 'slurm.conf');
  readonly env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: this.conf };
  private started = false;

  /** The reason Slurm cannot run here, or undefined. */
  static missing(): string | undefined {
    for (const d of ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/squeue', '/usr/bin/scontrol', '/usr/bin/sinfo']) {
      if (!existsSync(d)) return `${d} not found: install Debian's slurm-wlm (.ci/run does)`;
    }
    if (process.getuid?.() !== 0) return 'slurmd must run as root to start jobs (the test runs Slurm with SlurmUser=root)';
    return undefined;
  }

  private run(cmd: string, args: string[]): Promise<Ran> {
    return runAsync(cmd, args, { env: this.env, cwd: this.dir });
  }

  private log(name: string): string {
    const f = path.join(this.dir, name);
    return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').slice(-15).join('\n') : '(no log)';
  }

  private pid(name: string): number | undefined {
    const f = path.join(this.dir, `${name}.pid`);
    const n = existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }

  private alive(pid: number | undefined): boolean {
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Start both daemons and wait until the node is idle; throws with the daemons' logs if they fail. */
  async start(): Promise<void> {
    const why = SlurmCluster.missing();
    if (why) throw new Error(`Slurm cannot start: ${why}`);
    const [ctldPort, dPort] = [await freePort(), await freePort()];
    const host = hostname().split('.')[0];
    const cpus = availableParallelism();
    mkdirSync(path.join(this.dir, 'state'));
    mkdirSync(path.join(this.dir, 'spool'));
    const d = this.dir;
    writeFileSync(this.conf, [
      'ClusterName=licdse',
      `SlurmctldHost=${host}(127.0.0.1)`,
      'SlurmUser=root', 'SlurmdUser=root',
      `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
      'AuthType=auth/none', 'CredType=cred/none',
      `StateSaveLocation=${d}/state`, `SlurmdSpoolDir=${d}/spool`,
      `SlurmctldPidFile=${d}/slurmctld.pid`, `SlurmdPidFile=${d}/slurmd.pid`,
      `SlurmctldLogFile=${d}/slurmctld.log`, `SlurmdLogFile=${d}/slurmd.log`,
      'ProctrackType=proctrack/pgid', 'TaskPlugin=task/none', 'MpiDefault=none',
      'SchedulerType=sched/builtin', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU',
      'ReturnToService=2', 'JobCompType=jobcomp/none', 'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none', 'SlurmdParameters=config_overrides',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN`,
      `PartitionName=lic Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'));
    this.started = true;
    const ctld = await this.run('/usr/sbin/slurmctld', ['-f', this.conf, '-i']);
    if (ctld.status !== 0) throw new Error(`slurmctld did not start (exit ${ctld.status}): ${ctld.stderr}\n${this.log('slurmctld.log')}`);
    const slurmd = await this.run('/usr/sbin/slurmd', ['-f', this.conf]);
    if (slurmd.status !== 0) throw new Error(`slurmd did not start (exit ${slurmd.status}): ${slurmd.stderr}\n${this.log('slurmd.log')}`);
    // Poll (no clock: a slow machine only polls longer) until the node takes jobs; a daemon that died
    // or a node marked down is a failure with its reason.
    for (;;) {
      const s = await this.run('/usr/bin/sinfo', ['-h', '-o', '%T']);
      const state = s.stdout.trim();
      if (s.status === 0 && /^(idle|mixed|allocated)/.test(state)) return;
      if (/down|drain|fail/.test(state)) throw new Error(`the Slurm node is ${state}: ${(await this.run('/usr/bin/sinfo', ['-R'])).stdout}\n${this.log('slurmd.log')}`);
      for (const name of ['slurmctld', 'slurmd']) {
        const pid = this.pid(name);
        if (pid && !this.alive(pid)) throw new Error(`${name} exited:\n${this.log(`${name}.log`)}`);
      }
      await sleep(250);
    }
  }

  /** squeue's lines for the jobs not finished: "id state reason". */
  async queue(): Promise<string[]> {
    const r = await this.run('/usr/bin/squeue', ['-h', '-o', '%i %T %r']);
    if (r.status !== 0) throw new Error(`squeue failed: ${r.stderr}`);
    return r.stdout.trim().split('\n').filter(Boolean);
  }

  /** Wait until every job has left the queue; a job whose dependency can never be met is a failure. */
  async drain(diagnose: () => string): Promise<void> {
    for (;;) {
      const q = await this.queue();
      if (!q.length) return;
      if (q.some((l) => /DependencyNeverSatisfied/.test(l))) throw new Error(`a job can never start (an array task failed):\n${q.join('\n')}\n${diagnose()}`);
      await sleep(500);
    }
  }

  /** Stop both daemons (and any job step left) and remove the directory. */
  async stop(): Promise<void> {
    if (this.started) {
      const pids = [this.pid('slurmctld'), this.pid('slurmd')];
      await this.run('/usr/bin/scontrol', ['shutdown']).catch(() => undefined);
      for (let i = 0; i < 120 && pids.some((p) => this.alive(p)); i++) await sleep(250);
      for (const p of pids) if (this.alive(p)) process.kill(p!, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
