import type { Argv } from 'yargs';
import { loadPlatform, platformNames } from '../platform/load.js';
import { RESOURCE_KINDS, type Platform } from '../platform/schema.js';
import { textTable } from '../report/table.js';
import { jsonOut } from './args.js';

const summary = (p: Platform) => ({
  name: p.name,
  title: p.spec.title,
  part: p.spec.part,
  dspFamily: p.spec.dspFamily,
  available: p.available,
  memory: `${p.spec.memory.kind} ${p.spec.memory.peakGBs} GB/s × ${p.spec.memory.efficiency}`,
  clockMHz: p.spec.clock.hlsMHz ?? p.spec.clock.typicalMHz,
});

export function platformsCommand(y: Argv) {
  return y
    .command('platforms', 'the built-in boards, one line each', (a) => a.option('json', { type: 'boolean', default: false }), (argv) => {
      const ps = platformNames().map(loadPlatform);
      if (argv.json) return void process.stdout.write(jsonOut(ps.map((p) => p.spec)));
      process.stdout.write(`${textTable(
        ['board', 'part', 'DSP family', 'DSP', 'BRAM18', 'URAM', 'LUT', 'FF', 'memory (peak × efficiency)', 'clock MHz'],
        ps.map(summary).map((s) => [s.name, s.part, s.dspFamily, ...RESOURCE_KINDS.map((k) => s.available[k]), s.memory, s.clockMHz]),
      )}\n(available to kernels: device minus platform shell)\n`);
    })
    .command('platform <board>', 'one board in full, with sources', (a) => a
      .positional('board', { type: 'string', demandOption: true, describe: 'built-in name or board .json file' })
      .option('json', { type: 'boolean', default: false }), (argv) => {
      const p = loadPlatform(argv.board);
      if (argv.json) return void process.stdout.write(jsonOut(p.spec));
      const s = p.spec;
      const rows: (string | number)[][] = [
        ['part', s.part, s.partSource],
        ['DSP family', s.dspFamily, ''],
        ...RESOURCE_KINDS.map((k) => [k, `${s.resources[k]} (shell ${s.reserved[k]}, available ${p.available[k]})`, k === 'dsp' ? `${s.resources.source}; shell: ${s.reserved.source}` : '']),
        ['memory', `${s.memory.kind}, ${s.memory.channels} ch, ${s.memory.peakGBs} GB/s peak`, s.memory.source],
        ['efficiency', String(s.memory.efficiency), s.memory.efficiencySource],
        ['clock', `${s.clock.typicalMHz} MHz typical, ${s.clock.maxMHz} MHz max`, s.clock.source],
        ['cpu', `${s.cpu.name}, entropy coder ${s.cpu.entropySymbolsPerSec.toExponential(2)} symbols/s`, s.cpu.source],
      ];
      process.stdout.write(`${s.title} (${s.name})\n${textTable(['field', 'value', 'source'], rows)}\n`);
    });
}
