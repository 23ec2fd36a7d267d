import { isPlainObject } from './encode-value.js';

/** How a known parameter must look. */
export type ParamKind = 'text' | 'number' | 'flag' | 'id' | 'file' | 'cookies';

/**
 * Returns what `value` should have been (for the error message), or undefined when it fits.
 * Lenient where the wire is: numbers may come as numeric strings, flags as `'0'`/`'1'`.
 */
export function checkParam(kind: ParamKind, value: unknown): string | undefined {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? undefined : 'a string';
    case 'number':
      return isNumeric(value) ? undefined : 'a number';
    case 'flag':
      return value === true ||
        value === false ||
        value === 0 ||
        value === 1 ||
        value === '0' ||
        value === '1'
        ? undefined
        : 'a boolean, 0 or 1';
    case 'id':
      return (typeof value === 'string' && value.trim() !== '') || isNumeric(value)
        ? undefined
        : 'a non-empty string or a number';
    case 'file':
      return checkFile(value);
    case 'cookies':
      return typeof value === 'string' || (Array.isArray(value) && value.every(isPlainObject))
        ? undefined
        : 'a JSON string or an array of cookie objects';
  }
}

/** True when a required parameter counts as given: not absent, not null, not blank. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim());
}

function checkFile(value: unknown): string | undefined {
  const expected =
    'a non-empty Uint8Array or { data: Uint8Array; filename?: string; contentType?: string }';
  if (value instanceof Uint8Array) return value.length > 0 ? undefined : expected;
  if (typeof value !== 'object' || value === null) return expected;
  const file = value as { data?: unknown; filename?: unknown; contentType?: unknown };
  if (!(file.data instanceof Uint8Array) || file.data.length === 0) return expected;
  if (file.filename !== undefined && typeof file.filename !== 'string') return expected;
  if (file.contentType !== undefined && typeof file.contentType !== 'string') return expected;
  return undefined;
}
