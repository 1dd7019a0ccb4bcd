import type { Argv } from 'yargs';
import { COMMANDS } from './commands.js';
import { loadPlatform, platformNames } from '../platform/load.js';
import { RESOURCE_KINDS, type Platform } from '../platform/schema.js';
import { TERMINAL_WIDTH, textTable } from '../report/table.js';
import { jsonOut } from './args.js';
import { jsonOpt, wideOpt } from './options.js';

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
    .command(COMMANDS.platforms.usage, COMMANDS.platforms.describe, (a) => a
      .option('wide', wideOpt)
      .option('json', jsonOpt)
      .example('$0 platforms --json', 'every board file in full'), (argv) => {
      const ps = platformNames().map(loadPlatform);
      if (argv.json) return void process.stdout.write(jsonOut(ps.map((p) => p.spec)));
      process.stdout.write(`${textTable(
        ['board', 'part', 'DSP family', 'DSP', 'BRAM18', 'URAM', 'LUT', 'FF', 'memory (peak × efficiency)', 'clock MHz'],
        ps.map(summary).map((s) => [s.name, s.part, s.dspFamily, ...RESOURCE_KINDS.map((k) => s.available[k]), s.memory, s.clockMHz]),
        { maxWidth: argv.wide ? undefined : TERMINAL_WIDTH },
      )}\n(available to kernels: device minus platform shell)\n`);
    })
    .command(COMMANDS.platform.usage, COMMANDS.platform.describe, (a) => a
      .positional('board', { type: 'string', demandOption: true, describe: 'built-in board name or a board .json file' })
      .option('wide', { ...wideOpt, describe: 'print every source in full (default: shortened to fit 120 characters)' })
      .option('json', jsonOpt)
      .example('$0 platform zcu102 --wide', 'the ZCU102 with the full source of every figure'), (argv) => {
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
      process.stdout.write(`${s.title} (${s.name})\n${textTable(['field', 'value', 'source'], rows, { maxWidth: argv.wide ? undefined : TERMINAL_WIDTH })}\n`);
    });
}
