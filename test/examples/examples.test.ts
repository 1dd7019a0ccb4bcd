import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAsync } from '../spawn.js';

/**
 * Every script in examples/ runs as a user would run it (`npx tsx examples/<name>.ts`), exits 0 and
 * prints what it promises. A new example without an entry here fails the first test.
 */
const expected: Record<string, RegExp[]> = {
  'zoo-on-one-board.ts': [/^36 design points: \d+ explored, \d+ found no design that fits/m, /model +path +template +FPS/, /real time \(≥ 30 FPS\) on the ZCU102/, /report: reports\/examples\/zoo-zcu102\/index\.html/],
  'roofline-study.ts': [/compute roof GOP\/s/, /◀ bottleneck/, /int16 is [\d.]+× slower than int8/, /wrote reports\/examples\/roofline-mbt2018-mean-zcu102-int8\.png/],
  'board-for-target-fps.ts': [/^boards: kv260 \(/m, /board +template +precision +FPS/, /bmshj2018-hyperprior decode at 1280x720 ≥ 20 FPS: \w+, (engine|pipeline), int\d+/],
};

const scripts = readdirSync('examples').filter((f) => f.endsWith('.ts')).sort();

describe('examples/', () => {
  it('has the three notebook-style scripts, each known to this test', () => {
    expect(scripts).toEqual(Object.keys(expected).sort());
  });

  for (const name of scripts) {
    it(`npx tsx examples/${name} runs and prints its results`, async () => {
      const r = await runAsync('npx', ['tsx', path.join('examples', name)], { env: { ...process.env, CI: 'true' } });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      for (const re of expected[name] ?? []) expect(r.stdout).toMatch(re);
    });
  }

  it('the example report and PNGs exist after the runs', () => {
    expect(existsSync('reports/examples/zoo-zcu102/index.html')).toBe(true);
    expect(statSync('reports/examples/roofline-mbt2018-mean-zcu102-int16.png').size).toBeGreaterThan(15_000);
  });
});
