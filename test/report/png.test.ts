import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, listFiles, tempDir } from '../sweep/helpers.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(buf.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Pixel statistics: share of non-white pixels, distinct colours, and whether the background is opaque white. */
async function pixels(buf: Buffer) {
  const img = await loadImage(buf);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height).data;
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) ink++;
    if (i % 64 === 0) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  }
  return { inkShare: ink / (d.length / 4), colours: colours.size, corner: [d[0], d[1], d[2], d[3]] };
}

describe('PNG charts', () => {
  const dir = tempDir('png');
  const out = path.join(dir, 'r');
  beforeAll(async () => {
    const r = await cli('sweep', '--models', 'bmshj2018-hyperprior', '--platforms', 'zcu102', '--precisions', 'int8', '--res', '256x256', '--out', out, '--jobs', '1', '--point-charts');
    expect(r.status, r.stderr).toBe(0);
  });

  it('one roofline and one cycle chart per design, FPS–DSP and utilisation per board', () => {
    const pngs = listFiles(out).filter((f) => f.endsWith('.png'));
    expect(pngs.filter((f) => f.endsWith('-roofline.png'))).toHaveLength(4);
    expect(pngs.filter((f) => f.endsWith('-layers.png'))).toHaveLength(4);
    expect(pngs).toContain('charts/zcu102-fps-dsp.png');
    expect(pngs).toContain('charts/zcu102-utilisation.png');
  });

  it('every PNG has the chart\'s size, a white opaque background and is not blank', async () => {
    for (const f of listFiles(out).filter((x) => x.endsWith('.png'))) {
      const buf = readFileSync(path.join(out, f));
      const { width, height } = pngSize(buf);
      expect(width, f).toBeGreaterThanOrEqual(900);
      expect(height, f).toBeGreaterThanOrEqual(360);
      expect(buf.length, f).toBeGreaterThan(15_000);
      const px = await pixels(buf);
      expect(px.corner, f).toEqual([255, 255, 255, 255]);
      expect(px.inkShare, f).toBeGreaterThan(0.02); // axes, labels, data
      expect(px.inkShare, f).toBeLessThan(0.6);
      expect(px.colours, f).toBeGreaterThanOrEqual(4); // several series colours, not just black on white
    }
  });
});
