/**
 * A binary min-heap of events ordered by time, ties by insertion order, so that equal-time events run
 * in the order they were scheduled and a simulation is deterministic.
 */
export interface Timed { time: number; seq: number }

export class EventHeap<T extends Timed> {
  private readonly a: T[] = [];
  get size() { return this.a.length; }

  private less(i: number, j: number) {
    const x = this.a[i], y = this.a[j];
    return x.time < y.time || (x.time === y.time && x.seq < y.seq);
  }

  push(e: T) {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.a;
    if (!a.length) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
