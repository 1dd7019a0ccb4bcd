/** Non-dominated points: maximise `fps`, minimise every cost. Stable: input order breaks ties. */
export function paretoFront<T extends { fps: number; costs: number[] }>(points: T[]): T[] {
  const sorted = points.map((p, i) => ({ p, i })).sort((a, b) => b.p.fps - a.p.fps || a.i - b.i);
  const front: T[] = [];
  for (const { p } of sorted) {
    const dominated = front.some((q) => q.fps >= p.fps && q.costs.every((c, k) => c <= p.costs[k]) && (q.fps > p.fps || q.costs.some((c, k) => c < p.costs[k])));
    const duplicate = front.some((q) => q.fps === p.fps && q.costs.every((c, k) => c === p.costs[k]));
    if (!dominated && !duplicate) front.push(p);
  }
  return front;
}
