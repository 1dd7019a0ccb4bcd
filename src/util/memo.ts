import { statSync } from 'node:fs';

/**
 * A small least-recently-used cache for what the loading edge derives from files (parsed model and board
 * files, workloads). A sweep asks for the same model at the same resolution once per board × precision
 * × template × path; parsing and expanding it each time cost more than some searches. Bounded, so memory
 * stays flat however long the sweep.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly size: number) {}
  get(key: K, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as K);
    return v;
  }
}

/** Identifies a file's version without reading it (an edited file gets a new key). Absent: a key that never hits a stale entry. */
export function fileVersion(file: string): string {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${file}|${s.mtimeMs}|${s.size}|${s.ino}` : `${file}|absent|${Math.random()}`;
}

/** Freeze an object graph: shared cached values must not be changed by whoever receives them. */
export function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}
