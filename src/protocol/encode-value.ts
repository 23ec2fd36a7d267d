import { InvalidTaskError } from '../errors/invalid-task-error.js';

/**
 * Turns one task parameter into its wire string: booleans as `1`/`0`, numbers as plain decimals
 * (never exponent notation, which the service would not read), arrays and plain objects as JSON
 * (`json_cookies`, unknown structured extras), strings unchanged. `undefined` and `null` mean
 * "not sent". Anything else (functions, byte arrays outside `file`, NaN) is a caller mistake.
 */
export function encodeValue(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? '1' : '0';
    case 'bigint':
      return value.toString();
    case 'number':
      if (Number.isFinite(value)) return decimal(value);
      break;
    case 'object':
      if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
      break;
    default:
      break;
  }
  throw new InvalidTaskError(name, `task parameter "${name}" cannot be sent: ${describe(value)}`);
}

/** The reason `value` cannot be sent, or undefined when it can. */
export function unencodableReason(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : describe(value);
    case 'object':
      return Array.isArray(value) || isPlainObject(value) ? undefined : describe(value);
    default:
      return describe(value);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function decimal(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  if (Number.isInteger(value)) return BigInt(value).toString();
  // Tiny fractions: 20 digits is the most toFixed gives and more than any parameter needs.
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `${value} is not a finite number`;
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `a ${typeof name === 'string' && name !== '' ? name : 'non-plain object'} is not a string, number or plain object`;
  }
  return `a ${typeof value} is not a string, number or plain object`;
}
