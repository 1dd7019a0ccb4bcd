import type { Argv } from 'yargs';

/**
 * Every command: its usage, its one-line description (the single copy, used by the command module and by
 * the top-level --help) and the module that implements it. main.ts imports only the module of the command
 * being run, so `lic-dse models` does not pay for the search, the report or the HLS emitter.
 */
export const COMMANDS = {
  models: { usage: 'models', describe: 'the model zoo, one line per model', module: 'models' },
  describe: { usage: 'describe <model>', describe: 'per-layer shapes, MACs and parameters of a model at a resolution', module: 'describe' },
  platforms: { usage: 'platforms', describe: 'the built-in boards, one line each', module: 'platforms' },
  platform: { usage: 'platform <board>', describe: 'one board in full, with sources', module: 'platforms' },
  evaluate: { usage: 'evaluate', describe: 'estimate a design point (engine or pipeline) on its workload and board', module: 'evaluate' },
  explore: { usage: 'explore', describe: 'search the best engine or pipeline design for a model on a board and say what limits it', module: 'explore' },
  sweep: { usage: 'sweep', describe: 'explore every combination of models × boards × precisions × resolutions × templates × paths and write a report', module: 'sweep' },
  merge: { usage: 'merge <dirs..>', describe: 'join the outputs of `sweep --shard k/n` into what one unsharded run writes', module: 'merge' },
  cluster: { usage: 'cluster', describe: 'throughput, latency and failures of a multi-board cluster (closed form and simulation)', module: 'cluster' },
  student: { usage: 'student', describe: 'write a width-scaled / pruned / GDN-variant student of a model as a model file', module: 'student' },
  fit: { usage: 'fit', describe: 'the widest student of a model that reaches a frame rate on a board', module: 'fit' },
  compare: { usage: 'compare <report>', describe: 'a Markdown table comparing targets (dpu, engine, pipeline, gpu) per model, board and path, from a sweep\'s points.csv', module: 'compare' },
  import: { usage: 'import <onnx>', describe: 'import an ONNX model (e.g. a student exported from PyTorch) as a lic-dse model descriptor', module: 'import' },
  calibrate: { usage: 'calibrate <reports..>', describe: 'compare Vitis HLS csynth (and Vivado utilisation) reports of emitted projects with the estimate; refit the LUT/FF models', module: 'calibrate' },
  emit: { usage: 'emit', describe: 'write a Vitis HLS project (kernel, golden testbench, Tcl/cfg, Makefile) for a design point', module: 'emit' },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandModule = (typeof COMMANDS)[CommandName]['module'];

/** Each module's function that adds its command(s) to yargs. */
export async function loadCommand(module: CommandModule): Promise<(y: Argv) => Argv> {
  switch (module) {
    case 'models': return (await import('./models.js')).modelsCommand as (y: Argv) => Argv;
    case 'describe': return (await import('./describe.js')).describeCommand as (y: Argv) => Argv;
    case 'platforms': return (await import('./platforms.js')).platformsCommand as (y: Argv) => Argv;
    case 'evaluate': return (await import('./evaluate.js')).evaluateCommand as (y: Argv) => Argv;
    case 'explore': return (await import('./explore.js')).exploreCommand as (y: Argv) => Argv;
    case 'sweep': return (await import('./sweep.js')).sweepCommand as (y: Argv) => Argv;
    case 'merge': return (await import('./merge.js')).mergeCommand as (y: Argv) => Argv;
    case 'emit': return (await import('./emit.js')).emitCommand as (y: Argv) => Argv;
    case 'student': return (await import('./student.js')).studentCommand as (y: Argv) => Argv;
    case 'fit': return (await import('./fit.js')).fitCommand as (y: Argv) => Argv;
    case 'compare': return (await import('./compare.js')).compareCommand as (y: Argv) => Argv;
    case 'import': return (await import('./import.js')).importCommand as (y: Argv) => Argv;
    case 'calibrate': return (await import('./calibrate.js')).calibrateCommand as (y: Argv) => Argv;
    case 'cluster': return (await import('./cluster.js')).clusterCommand as (y: Argv) => Argv;
  }
}
