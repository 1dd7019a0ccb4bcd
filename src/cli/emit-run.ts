import { emitProject, type EmitOptions, type EmitResult } from '../emit/index.js';
import { Progress } from '../sweep/progress.js';

/** emitProject with a progress bar over the golden-vector layers (on a terminal only; quiet when piped or in CI). */
export function emitWithProgress(opts: Omit<EmitOptions, 'progress'>): EmitResult {
  let bar: Progress | undefined;
  try {
    return emitProject({
      ...opts,
      progress: (done, total, layer) => {
        bar ??= new Progress(total, 'golden-vector layers');
        bar.tick(layer);
      },
    });
  } finally {
    bar?.end();
  }
}

/** What `emit --json` and `explore --emit --json` report of a written project. */
export const emitSummary = (r: EmitResult) => ({ dir: r.dir, top: r.top, name: r.name, arch: r.arch, part: r.part, layers: r.layers, files: r.files });
