import { describe, expect, it } from 'vitest';
import { addToFront, BOTTLENECK_COLOR, fpsDspFront, layerCyclesSpec, logTickLabel, paretoSpec, rooflineSpec, type BoardPoint } from '../../src/report/charts.js';
import type { LayerRecord, PointRecord } from '../../src/report/columns.js';
import { reportRecords } from '../../src/report/rows.js';
import { exploreDesign } from '../../src/index.js';
import { rng } from '../rng.js';

const req = { model: 'bmshj2018-hyperprior', platform: 'zcu102', precision: 'int8', res: '512x512', arch: 'engine' as const, path: 'encode' as const };

type Ds = { label: string; data: { x: number; y: number; label?: string }[] | (number | null)[] };

describe('chart specifications', () => {
  const r = exploreDesign(req);
  const { point, layers } = reportRecords(r, req);

  it('roofline: bandwidth slope up to the ridge, compute roof after it, every timed layer at (CTC, achieved GOP/s)', () => {
    const spec = rooflineSpec(point, layers);
    const ds = spec.data.datasets as unknown as Ds[];
    const bw = ds.find((d) => d.label.startsWith('bandwidth'))!.data as { x: number; y: number }[];
    const roof = ds.find((d) => d.label.startsWith('compute roof'))!.data as { x: number; y: number }[];
    const peak = point.peakGops!;
    const gbs = point.bandwidthAvailableGBs!;
    expect(bw[1]).toEqual({ x: peak / gbs, y: peak });
    expect(bw[0].y / bw[0].x).toBeCloseTo(gbs, 9); // GOP/s = CTC × GB/s
    expect(roof.every((p) => p.y === peak)).toBe(true);
    const timed = layers.filter((l) => l.cycles > 0 && l.ops > 0);
    const plotted = ds.filter((d) => d.label.endsWith('-bound layers (' + d.data.length + ')')).flatMap((d) => d.data as { x: number; y: number; label: string }[]);
    expect(plotted).toHaveLength(timed.length);
    for (const l of timed) {
      const p = plotted.find((q) => q.label.startsWith(`${l.layer} (`))!;
      expect(p.y).toBeCloseTo(l.achievedGops!, 9);
      expect(p.y).toBeLessThanOrEqual(peak * (1 + 1e-9)); // nothing above the roof
      if (l.ctc !== null) expect(p.x).toBe(l.ctc);
    }
    expect(spec.lic.logAxes).toEqual(['x', 'y']);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // JSON only: the same spec is embedded in index.html
  });

  it('cycle bars: one bar per timed layer, the bottleneck in its own red series and marked in its label', () => {
    const spec = layerCyclesSpec(point, layers);
    const timed = layers.filter((l) => l.cycles > 0);
    expect(spec.data.labels).toHaveLength(timed.length);
    const ds = spec.data.datasets as unknown as (Ds & { backgroundColor: string })[];
    const bn = ds.find((d) => d.label === 'bottleneck')!;
    expect(bn.backgroundColor).toBe(BOTTLENECK_COLOR);
    const i = timed.findIndex((l) => l.layer === point.bottleneckLayer);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(bn.data[i]).toBe(timed[i].cycles);
    expect(spec.data.labels![i]).toBe(`▶ ${point.bottleneckLayer}`);
    // Each bar appears in exactly one series.
    for (let k = 0; k < timed.length; k++) expect(ds.filter((d) => d.data[k] !== null)).toHaveLength(1);
  });

  it('the FPS–DSP front: no design on it is dominated, every design off it is (against brute force)', () => {
    const r2 = rng(5);
    for (let trial = 0; trial < 50; trial++) {
      const pts: BoardPoint[] = Array.from({ length: r2.int(1, 60) }, (_, job) => ({ job, label: '', model: 'm', arch: 'engine', fps: r2.int(1, 30), dsp: r2.int(1, 30) }));
      const front = fpsDspFront(pts);
      const dominated = (p: BoardPoint) => pts.some((q) => q !== p && q.dsp <= p.dsp && q.fps >= p.fps && (q.dsp < p.dsp || q.fps > p.fps || q.job < p.job));
      expect(new Set(front.map((p) => p.job))).toEqual(new Set(pts.filter((p) => !dominated(p)).map((p) => p.job)));
      for (let k = 1; k < front.length; k++) {
        expect(front[k].dsp).toBeGreaterThan(front[k - 1].dsp);
        expect(front[k].fps).toBeGreaterThan(front[k - 1].fps);
      }
    }
    const f: BoardPoint[] = [];
    addToFront(f, { job: 0, label: '', model: 'm', arch: 'engine', fps: 10, dsp: 100 });
    addToFront(f, { job: 1, label: '', model: 'm', arch: 'engine', fps: 20, dsp: 50 });
    expect(f.map((p) => p.job)).toEqual([1]);
    const spec = paretoSpec('zcu102', ['m'], f, f, 2520, 1);
    expect((spec.data.datasets as unknown as Ds[]).map((d) => d.label)).toEqual(['m', 'Pareto front (1)', 'DSP available (2,520)']);
  });

  it('log-axis tick labels: 1-2-5 over a few decades, powers of ten over many', () => {
    expect([1, 2, 3, 5, 10, 20, 50, 100, 1000].map((v) => logTickLabel(v, 3))).toEqual(['1', '2', '', '5', '10', '20', '50', '100', '1,000']);
    expect([1, 2, 5, 10, 0.01].map((v) => logTickLabel(v, 6))).toEqual(['1', '', '', '10', '0.01']);
  });

  it('is built from the records alone, so a report read back from CSV draws the same charts', () => {
    const clone = <T>(x: T) => JSON.parse(JSON.stringify(x)) as T;
    expect(rooflineSpec(clone<PointRecord>(point), clone<LayerRecord[]>(layers))).toEqual(rooflineSpec(point, layers));
  });
});
