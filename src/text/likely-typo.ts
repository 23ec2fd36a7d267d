/** More edits than this and a name is taken for one of its own. */
const MAX_EDITS = 2;

/**
 * Whether `typed` is most likely `intended` mistyped: at most two edits (a swap of neighbours
 * counts as one) and fewer than half of `typed`'s length, so that `ab` is not taken for a typo of
 * every four-letter name.
 */
export function isLikelyTypo(typed: string, intended: string): boolean {
  return typoEdits(typed, intended) !== undefined;
}

/** The edits from `intended` to `typed` when it is a likely typo of it (isLikelyTypo), else undefined. */
export function typoEdits(typed: string, intended: string): number | undefined {
  if (typed === intended) return undefined;
  const edits = editDistance(typed, intended);
  return edits <= MAX_EDITS && edits * 2 < typed.length ? edits : undefined;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions
 * and swaps of two neighbouring characters, the typos a hand makes on a keyboard.
 */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: the distance between the first i characters of a and the first j of b.
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (above[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (above[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(distance);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
