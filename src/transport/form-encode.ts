/** Characters application/x-www-form-urlencoded leaves as they are. */
const SAFE = /^[A-Za-z0-9*\-._]*$/;
/** What encodeURIComponent leaves alone but the form encoding escapes, and the encoded space. */
const FIXUPS = /[!'()~]|%20/g;

function fixup(match: string): string {
  return match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`;
}

function encodeValue(value: string): string {
  if (SAFE.test(value)) return value;
  try {
    return encodeURIComponent(value).replace(FIXUPS, fixup);
  } catch {
    // A lone surrogate: URLSearchParams sends U+FFFD for it.
    return new URLSearchParams([['', value]]).toString().slice(1);
  }
}

/**
 * `new URLSearchParams(params).toString()`, byte for byte, without building the object: the
 * parameters of an API request are short and mostly plain ASCII, so most go out untouched.
 */
export function formEncode(params: Readonly<Record<string, string>>): string {
  let out = '';
  for (const name of Object.keys(params)) {
    if (out.length > 0) out += '&';
    out += `${encodeValue(name)}=${encodeValue(params[name] as string)}`;
  }
  return out;
}
