import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/sweep/progress.js';
import { runOrdered, SweepAborted } from '../../src/sweep/sweep.js';
import { rng } from '../rng.js';

describe('ordered streaming of job results', () => {
  it('hands results to the sink in job order, whatever order they finish in, with a bounded reorder buffer', async () => {
    const rand = rng(7).next;
    const size = 400;
    const got: number[] = [];
    const { maxBuffered } = await runOrdered(size, 4, 16, async (pos) => {
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 4)));
      return pos * 10;
    }, async (out, pos) => {
      expect(out).toBe(pos * 10);
      got.push(pos);
    });
    expect(got).toEqual(Array.from({ length: size }, (_, i) => i));
    expect(maxBuffered).toBeLessThanOrEqual(16);
  });

  it('memory does not grow with the number of jobs: a 100,000-job run never buffers more than the window', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let n = 0;
    const { maxBuffered } = await runOrdered(100_000, 2, 32, async (pos) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // The first job of every 50 is slow, so later ones pile up behind it.
      if (pos % 50 === 0) await new Promise((r) => setImmediate(r));
      inFlight--;
      return pos;
    }, async () => { n++; });
    expect(n).toBe(100_000);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxBuffered).toBeLessThanOrEqual(32);
  });

  it('an abort stops dispatching and rejects with SweepAborted; a failing job rejects with its error', async () => {
    const ac = new AbortController();
    let started = 0;
    const p = runOrdered(1000, 2, 8, async (pos) => {
      started++;
      if (pos === 20) ac.abort();
      await new Promise((r) => setImmediate(r));
      return pos;
    }, async () => {}, ac.signal);
    await expect(p).rejects.toBeInstanceOf(SweepAborted);
    expect(started).toBeLessThan(40);
    await expect(runOrdered(10, 2, 8, async (pos) => {
      if (pos === 3) throw new Error('boom');
      return pos;
    }, async () => {})).rejects.toThrow('boom');
  });
});

describe('progress bar', () => {
  const fakeTty = () => {
    const s = new PassThrough() as unknown as NodeJS.WriteStream & { text: string };
    s.text = '';
    (s as unknown as { isTTY: boolean }).isTTY = true;
    (s as unknown as { columns: number }).columns = 100;
    s.write = ((chunk: string) => { s.text += chunk; return true; }) as never;
    return s;
  };

  it('draws a bar with ETA on a terminal outside CI', () => {
    const tty = fakeTty();
    const old = process.env.CI;
    delete process.env.CI;
    try {
      expect(Progress.wanted(tty)).toBe(true);
      const p = new Progress(4, 'jobs', undefined, tty);
      for (let i = 0; i < 4; i++) p.tick(`job ${i}`);
      p.end();
    } finally {
      if (old !== undefined) process.env.CI = old;
    }
    expect(tty.text).toMatch(/\r\[#+-*\] \d\/4 jobs \d+% 0:\d\d ETA 0:\d\d job \d/);
    expect(tty.text).toMatch(/4\/4 jobs 100%/);
  });

  it('is silent when piped or under CI', () => {
    const tty = fakeTty();
    const old = process.env.CI;
    process.env.CI = 'true';
    try {
      expect(Progress.wanted(tty)).toBe(false);
      const p = new Progress(3, 'jobs', undefined, tty);
      p.tick();
      p.end();
    } finally {
      if (old === undefined) delete process.env.CI;
      else process.env.CI = old;
    }
    expect(tty.text).toBe('');
    const piped = new PassThrough() as unknown as NodeJS.WriteStream;
    expect(Progress.wanted(piped)).toBe(false);
  });
});
