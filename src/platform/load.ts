import path from 'node:path';
import { builtinNames, locate, parseWith, readJson } from '../util/files.js';
import { PlatformFileSchema, toPlatform, type Platform } from './schema.js';

/** Load a built-in board by name or a user's board file. */
export function loadPlatform(nameOrFile: string): Platform {
  const abs = locate(nameOrFile, 'platforms', 'platform');
  const file = path.relative(process.cwd(), abs) || abs;
  return toPlatform(parseWith(PlatformFileSchema, readJson(abs), file), file);
}

export function platformNames(): string[] {
  return builtinNames('platforms', ['dsp-packing']);
}
