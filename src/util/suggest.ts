/** Edit distance (insertions, deletions, substitutions), for "did you mean" on misspelt names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to a misspelt name, when it is close enough to be what the user meant: at most a third
 * of the name's letters wrong (at least one), or the name is a prefix of exactly one candidate.
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(n));
  if (n.length >= 2 && prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(n, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(n.length / 3)) ? best : undefined;
}

/** `; did you mean "x"?` or nothing. */
export const didYouMean = (name: string, candidates: readonly string[]): string => {
  const c = closest(name, candidates);
  return c ? ` — did you mean "${c}"?` : '';
};
