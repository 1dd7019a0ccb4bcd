import type { BoardModel, ClusterModel, LinkModel } from '../../src/cluster/model.js';

/** Hand-sized clusters for known-answer tests: round numbers so every figure can be worked by hand. */
export const link = (name: string, bytesPerSec: number, latencySec = 0): LinkModel => ({ name, bytesPerSec, latencySec });

export const fast = link('fast', 1e12);

export function board(id: string, periodSec: number, over: Partial<BoardModel> = {}): BoardModel {
  return { id, platform: id.split('#')[0], link: fast, periodSec, latencySec: periodSec, ...over };
}

export function cluster(boards: BoardModel[], over: Partial<ClusterModel> = {}, master: Partial<ClusterModel['master']> = {}): ClusterModel {
  return {
    name: 'test',
    master: { name: 'm', link: fast, cores: 4, messageSec: 0, entropySymbolsPerSec: 1e12, copyBytesPerSec: 1e12, ...master },
    boards,
    frame: { width: 1000, height: 1000, inBytes: 3e6, outBytes: 1e5, symbols: 1e6, inBytesPerPixel: 3, outBytesPerPixel: 0.1 },
    entropy: 'board',
    split: 'frame',
    ...over,
  };
}
