import { typoEdits } from '../text/likely-typo.js';

/**
 * The command's own option that an unknown flag was most likely meant to be, for `--timout` or
 * `--jsn`. An unknown flag is a task parameter (the service adds parameters faster than a CLI can
 * list them), so a typo of an option would otherwise be sent to the service without a word.
 */

/** Shorter options (`--key`, `--sim`) are near too many short parameter names to suggest. */
const MIN_OPTION_LENGTH = 4;

/**
 * The nearest of `options` (long forms, `--timeout`) to `flag` (`--timout`), or undefined when
 * none is near enough (typoEdits).
 */
export function suggestOption(flag: string, options: readonly string[]): string | undefined {
  const typed = flag.replace(/^--/, '');
  let best: { option: string; edits: number } | undefined;
  for (const option of options) {
    const name = option.replace(/^--/, '');
    if (name.length < MIN_OPTION_LENGTH) continue;
    const edits = typoEdits(typed, name);
    if (edits !== undefined && (best === undefined || edits < best.edits)) best = { option, edits };
  }
  return best?.option;
}
