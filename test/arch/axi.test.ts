import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { beatsPerPixel, blockTraffic, DEFAULT_AXI, portCycles, type AxiParams } from '../../src/arch/axi.js';
import { loadPlatform } from '../../src/platform/load.js';
import { haveTool, tmp } from '../emit/helpers.js';

const zynq: AxiParams = { maxBurstBeats: 16, outstanding: 8, latencyCycles: 64, granuleBytes: 64, portBits: 128 };

describe('AXI transfer model (hand-worked)', () => {
  it('a 3-channel pixel pays a whole 16-lane beat; 32 channels take two', () => {
    expect(beatsPerPixel(3, 16)).toBe(1);
    expect(beatsPerPixel(32, 16)).toBe(2);
    expect(beatsPerPixel(33, 16)).toBe(3);
  });

  it('rows split into bursts of at most 16 beats, DRAM charged in whole 64-byte accesses', () => {
    // 10 rows of 40 beats (16 B each): bursts 16 + 16 + 8 per row -> 30 transactions, 400 beats;
    // DRAM: 16 beats = 256 B = 4 granules, 8 beats = 128 B = 2 granules -> (4 + 4 + 2) * 64 B per row.
    const t = blockTraffic({ runs: 10, beatsPerRun: 40 }, 16, zynq);
    expect(t).toEqual({ beats: 400, transactions: 30, dramBytes: 10 * 10 * 64 });
    // One beat per transaction on a 64-byte-granule DRAM wastes 3/4 of every access.
    expect(blockTraffic({ runs: 5, beatsPerRun: 1 }, 16, zynq).dramBytes).toBe(5 * 64);
  });

  it('long bursts run at a beat per cycle; short ones wait for round trips', () => {
    // 400 beats in 30 transactions: issue limit 30 * 64 / 8 = 240 < 400 beats -> 400 + 64.
    expect(portCycles({ beats: 400, transactions: 30, dramBytes: 0 }, zynq)).toBe(464);
    // 100 single-beat transactions: 100 * 64 / 8 = 800 cycles of round trips dominate -> 800 + 64.
    expect(portCycles({ beats: 100, transactions: 100, dramBytes: 0 }, zynq)).toBe(864);
    expect(portCycles({ beats: 0, transactions: 0, dramBytes: 0 }, zynq)).toBe(0);
    // 512-bit kernel beats through a 128-bit HP port: 4 cycles each.
    expect(portCycles({ beats: 400, transactions: 25, dramBytes: 0 }, zynq, 512)).toBe(1600 + 64);
  });

  it('boards carry their AXI coefficients; a board file without them gets the HLS defaults', () => {
    expect(loadPlatform('zcu102').axi).toEqual(zynq);
    expect(loadPlatform('u50').axi.granuleBytes).toBe(32);
    expect(loadPlatform('test/fixtures/vc707.json').axi).toEqual(DEFAULT_AXI);
  });
});

describe('counting shim (hls-templates/common/lic_perf.h)', () => {
  it.skipIf(!haveTool('g++'))('finds the bursts the analytical model predicts and composes steps by their slowest member', () => {
    const dir = tmp('lic-perf-');
    const shim = path.resolve('hls-templates/common/lic_perf.h');
    // Step 1: a load of 10 rows x 40 beats (row starts 100 words apart) beside a compute loop of 300 trips.
    // Step 2: a compute loop of 1000 trips entered twice with depth 7, beside 5 scattered single beats.
    writeFileSync(path.join(dir, 'p.cpp'), `
#define LIC_PERF_LATENCY 64
#define LIC_PERF_OUTSTANDING 8
#define LIC_PERF_MAX_BURST 16
#define LIC_PERF_GRANULE 64
#define LIC_PERF_DRAM_BPC 64.0
#include "${shim}"
int main() {
  LIC_PERF_INIT();
  LIC_PERF_LAYER("l0", 0);
  LIC_PERF_ENTER("load", 3);
  for (int r = 0; r < 10; ++r) for (int b = 0; b < 40; ++b) { LIC_PERF_TRIP("load", "ld"); LIC_PERF_BEAT("load", "rd", r * 100 + b, 16); }
  LIC_PERF_ENTER("compute", 0);
  for (int i = 0; i < 300; ++i) LIC_PERF_TRIP("compute", "mac");
  LIC_PERF_STEP();
  for (int k = 0; k < 2; ++k) { LIC_PERF_ENTER("compute", 7); for (int i = 0; i < 500; ++i) LIC_PERF_TRIP("compute", "mac"); }
  LIC_PERF_ENTER("store", 0);
  for (int i = 0; i < 5; ++i) { LIC_PERF_TRIP("store", "st"); LIC_PERF_BEAT("store", "wr", i * 1000, 16); }
  LIC_PERF_BUFFER("in", 4, 128, 1024, "bram");
  LIC_PERF_MULT("dsp_packed2", 64);
  return LIC_PERF_WRITE() ? 0 : 1;
}
`);
    const cc = spawnSync('g++', ['-std=c++17', '-Wall', '-Werror', '-O0', '-DLIC_PERF', 'p.cpp', '-o', 'p'], { cwd: dir, encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    const run = spawnSync('./p', [], { cwd: dir, encoding: 'utf8', env: { ...process.env, LIC_PERF_OUT: 'perf.json' } });
    expect(run.status).toBe(0);
    const perf = JSON.parse(readFileSync(path.join(dir, 'perf.json'), 'utf8'));
    const l = perf.layers[0];
    const ld = blockTraffic({ runs: 10, beatsPerRun: 40 }, 16, zynq);
    expect(l.beats.rd).toBe(ld.beats);
    expect(l.transactions.rd).toBe(ld.transactions);
    // Step 1: max(load trips 400 + 3, port 464, compute 300, DRAM 6400 B / 64) = 464.
    // Step 2: max(compute 1000 + 14, store port max(5, ceil(5*64/8)) + 64 = 104) = 1014.
    expect(l.countedCycles).toBe(464 + 1014);
    expect(l.steps).toBe(2);
    expect(perf.totalCounted).toBe(464 + 1014);
    expect(perf.buffers).toEqual([{ name: 'in', banks: 4, widthBits: 128, depth: 1024, impl: 'bram' }]);
    expect(perf.multipliers).toEqual({ dsp_packed2: 64 });
  });
});
