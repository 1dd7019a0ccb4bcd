/**
 * The cluster as the closed form and the simulation see it: plain numbers, resolved from the cluster
 * file at the edge (load.ts). Seconds, bytes and frames per second throughout.
 */

export interface LinkModel {
  name: string;
  /** Payload bytes per second per direction (rate × efficiency). */
  bytesPerSec: number;
  /** Fixed one-way cost of a message at this end, seconds. */
  latencySec: number;
}

export interface MasterModel {
  name: string;
  link: LinkModel;
  cores: number;
  /** Seconds of one core per message sent or received. */
  messageSec: number;
  entropySymbolsPerSec: number;
  copyBytesPerSec: number;
}

/** A board's time for a strip `width` pixels wide and `rows` tall: pipelined period and one strip's latency. */
export type TileTiming = (width: number, rows: number) => { periodSec: number; latencySec: number };

export interface BoardModel {
  /** Unique label ("zcu102#1"). */
  id: string;
  platform: string;
  link: LinkModel;
  /** Seconds between frames at steady state (the per-board estimate's 1/FPS, entropy coder included when the board codes). */
  periodSec: number;
  /** One frame through the board (accelerator latency, plus the entropy coder when the board codes). */
  latencySec: number;
  mtbfHours?: number;
  mttrHours?: number;
  /** Strip timing from the per-board estimate at the strip's resolution (tile-parallel only). */
  tile?: TileTiming;
}

export interface FrameModel {
  width: number;
  height: number;
  /** Bytes the master sends a board per frame (the image). */
  inBytes: number;
  /** Bytes a board returns per frame (bitstream, or quantised latents when the master codes). */
  outBytes: number;
  /** Symbols the entropy coder codes per frame. */
  symbols: number;
  /** Bytes of result per input pixel (outBytes / pixels), for tiles. */
  outBytesPerPixel: number;
  inBytesPerPixel: number;
}

export interface TileModel {
  /** Halo in input pixel rows added at each interior strip edge. */
  haloRows: number;
  /** Strip heights are multiples of this (the model's total stride), so strips align with the latent grid. */
  rowMultiple: number;
  /** Receptive field (pixels) the halo was derived from, for the report. */
  receptiveField: number;
  haloFrom: 'path' | 'analysis' | 'given';
}

export interface ClusterModel {
  name: string;
  master: MasterModel;
  boards: BoardModel[];
  frame: FrameModel;
  entropy: 'board' | 'master';
  split: 'frame' | 'tile';
  tile?: TileModel;
}

/** Transfer time of `bytes` over a link's payload rate (no message latency). */
export const wireSec = (bytes: number, l: LinkModel) => bytes / l.bytesPerSec;

/** The first n boards of the cluster, repeated in order past its end (with new ids), for curves against N. */
export function firstN(c: Pick<ClusterModel, 'boards'>, n: number): BoardModel[] {
  return Array.from({ length: n }, (_, i) => {
    const b = c.boards[i % c.boards.length];
    return i < c.boards.length ? b : { ...b, id: `${b.platform}#${i + 1}` };
  });
}
