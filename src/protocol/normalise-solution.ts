import type { Solution } from '../solver/types.js';
import type { AnswerValue } from './answer.js';
import { isPlainObject } from './encode-value.js';

/** Methods whose answer is a set of named values rather than one token. */
const STRUCTURED: ReadonlySet<string> = new Set(['geetest', 'geetest_v4', 'lemin']);
/**
 * Methods whose solution is typed as text: an object answered for one (no documented form does)
 * becomes its JSON text rather than an error, since the answer is paid for and the caller may
 * still read it.
 */
const TEXT: ReadonlySet<string> = new Set(['post', 'base64', 'captchafox', 'friendly_captcha']);

/**
 * Turns an answer value into a Solution. Objects stay objects; numbers become strings. For GeeTest
 * and Lemin, whose answer is a set of values, a string is turned into an object when it is a JSON
 * object or a `challenge:..,validate:..,seccode:..` list (the text form the blog shows); field
 * names are kept as sent (`challenge` or `geetest_challenge`). Everything else, including the
 * Cloudflare text form `cf_clearance=...;user_agent=...`, stays the string it was.
 */
export function normaliseSolution(method: string, value: AnswerValue): Solution {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && TEXT.has(method)) return JSON.stringify(value);
  if (typeof value !== 'string' || !STRUCTURED.has(method)) return value;
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return isPlainObject(parsed) ? parsed : value;
    } catch {
      return value;
    }
  }
  return namedValues(text) ?? value;
}

/** `a:1,b:2` into `{a:'1', b:'2'}`; undefined unless every part is `name:value`. */
function namedValues(text: string): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$/.exec(part);
    if (!match) return undefined;
    result[match[1] ?? ''] = (match[2] ?? '').trim();
  }
  return result;
}
