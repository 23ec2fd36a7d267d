import type { Solution } from '../solver/types.js';

/** Methods whose answer is one token string, never an image's text. */
const TOKEN_METHODS: ReadonlySet<string> = new Set([
  'userrecaptcha',
  'hcaptcha',
  'turnstile',
  'funcaptcha',
]);
/** Methods whose answer is a set of named values. */
const VALUE_SET_METHODS: ReadonlySet<string> = new Set(['geetest', 'geetest_v4']);

/**
 * What is wrong with `solution` for a task of `method`, or undefined when it may be its answer.
 * Only shapes no real answer has are refused: a token that is empty, not a string, or digits only
 * (what an image task answers; tokens are long strings of letters and digits); a GeeTest answer
 * that is not a set of values once normalised. Other methods are not judged.
 */
export function answerShapeProblem(method: string, solution: Solution): string | undefined {
  if (TOKEN_METHODS.has(method)) {
    if (typeof solution !== 'string') return 'is not a token string';
    if (solution.trim() === '') return 'is empty';
    if (/^\d+$/.test(solution.trim())) return 'is digits only, as an image task answers';
    return undefined;
  }
  if (VALUE_SET_METHODS.has(method) && (typeof solution !== 'object' || solution === null)) {
    return 'is not a set of values';
  }
  return undefined;
}
