/**
 * The command's own option that an unknown flag was most likely meant to be, for `--timout` or
 * `--jsn`. An unknown flag is a task parameter (the service adds parameters faster than a CLI can
 * list them), so a typo of an option would otherwise be sent to the service without a word.
 */

/** More edits than this and the flag is taken for a parameter of its own. */
const MAX_EDITS = 2;
/** Shorter options (`--key`, `--sim`) are near too many short parameter names to suggest. */
const MIN_OPTION_LENGTH = 4;

/**
 * The nearest of `options` (long forms, `--timeout`) to `flag` (`--timout`), or undefined when
 * none is near enough. Near: at most two edits (a swap of neighbours counts as one), and fewer
 * edits than half the flag's name, so `--ab` is not taken for a typo of every four-letter option.
 */
export function suggestOption(flag: string, options: readonly string[]): string | undefined {
  const typed = flag.replace(/^--/, '');
  let best: { option: string; edits: number } | undefined;
  for (const option of options) {
    const name = option.replace(/^--/, '');
    if (name.length < MIN_OPTION_LENGTH || name === typed) continue;
    const edits = editDistance(typed, name);
    if (edits > MAX_EDITS || edits * 2 >= typed.length) continue;
    if (best === undefined || edits < best.edits) best = { option, edits };
  }
  return best?.option;
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
