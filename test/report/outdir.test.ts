import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReportDir, removeStaleStaging, REPORT_MARKER, startStaging, commitStaging } from '../../src/report/outdir.js';
import { UserError } from '../../src/errors.js';
import { isOneLineError, runCli, snapshot } from '../inproc.js';

const TINY_SWEEP = { schema: 'lic-dse/sweep@1', models: [path.resolve('test/fixtures/emit/ops.json')], platforms: ['zcu102'], precisions: ['int8'], res: ['32x32'], arch: ['engine'], path: ['encode'] };

describe('issue 11 class 1: a report folder is recognised by its marker; nothing lic-dse did not write is deleted', () => {
  it('a folder holding the user\'s sweep config, other files and a sub-folder is refused, and nothing in it changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-dataloss-'));
    const cfg = path.join(dir, 'sweep.json');
    writeFileSync(cfg, JSON.stringify(TINY_SWEEP));
    writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'x.bin'), Buffer.from([1, 2, 3]));
    const before = snapshot(dir);
    const cwd = process.cwd();
    for (const out of [dir, path.join(dir, 'data'), '']) {
      const r = await runCli('sweep', '--config', cfg, '--out', out, '--jobs', '1', '--no-charts');
      expect(r.code).toBe(2);
      expect(isOneLineError(r.stderr)).toBe(true);
      expect(snapshot(dir)).toEqual(before);
    }
    // `--out .` from inside the folder.
    process.chdir(dir);
    try {
      const r = await runCli('sweep', '--config', 'sweep.json', '--out', '.', '--jobs', '1', '--no-charts');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/out: \. holds the current folder/);
    } finally {
      process.chdir(cwd);
    }
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`.${path.basename(dir)}.`))).toEqual([]);
  });

  it('a sweep.json of the sweep schema does not make a report; a report with a file added is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-marker-'));
    const fake = path.join(dir, 'fake');
    mkdirSync(fake);
    writeFileSync(path.join(fake, 'sweep.json'), JSON.stringify(TINY_SWEEP));
    expect(isReportDir(fake)).toBe(false);
    const out = path.join(dir, 'report');
    const r = await runCli('sweep', '--config', path.join(fake, 'sweep.json'), '--out', out, '--jobs', '1', '--no-charts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, REPORT_MARKER))).toBe(true);
    expect(isReportDir(out)).toBe(true);
    // A second run replaces its own report.
    expect((await runCli('sweep', '--config', path.join(fake, 'sweep.json'), '--out', out, '--jobs', '1', '--no-charts')).code).toBe(0);
    writeFileSync(path.join(out, 'my-notes.md'), 'mine');
    const before = snapshot(out);
    const again = await runCli('sweep', '--config', path.join(fake, 'sweep.json'), '--out', out, '--jobs', '1', '--no-charts');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/holds files lic-dse did not write \(my-notes\.md\)/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('issue 11 class 6: staging folders of a killed run are cleaned by the next one', () => {
  it('removes .<name>.staging-PID of a dead process, keeps a live one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lic-stale-'));
    // A PID that has certainly exited: a child we waited for.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const out = path.join(dir, 'rep');
    mkdirSync(path.join(dir, `.rep.staging-${dead}`, 'charts'), { recursive: true });
    mkdirSync(path.join(dir, `.rep.old-${dead}`));
    mkdirSync(path.join(dir, `.rep.staging-${process.ppid}`));
    mkdirSync(path.join(dir, '.other.staging-1'));
    expect(removeStaleStaging(out).sort()).toEqual([`.rep.old-${dead}`, `.rep.staging-${dead}`]);
    const staging = startStaging(out);
    commitStaging(staging, out);
    expect(readdirSync(dir).sort()).toEqual([`.other.staging-1`, `.rep.staging-${process.ppid}`, 'rep']);
  });
  it('an empty --out is refused', () => {
    expect(() => startStaging('')).toThrow(UserError);
  });
});
