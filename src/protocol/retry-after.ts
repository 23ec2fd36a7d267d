/**
 * Converts a `Retry-After` header into milliseconds from `nowMs`. Both forms of RFC 9110 are read:
 * delta-seconds (`120`) and an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`, also the obsolete
 * RFC 850 and asctime forms). A date in the past gives 0. Anything else gives undefined, so a
 * garbled header falls back to the caller's own backoff instead of a made-up pause.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  const at = parseHttpDate(text);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}

/**
 * The `Retry-After` of an answer in milliseconds. A date is the server's clock, so it is read
 * against the answer's own `Date` header when there is one: a client clock a second ahead of the
 * server's would read "retry now" while the server's window is still shut. `Date` drops the
 * fraction of its second, so the wait read this way errs long by under a second, never short.
 * Without a usable `Date`, the local clock stands in.
 */
export function retryAfterOf(
  headers: Readonly<Record<string, string>>,
  localNowMs: number,
): number | undefined {
  const serverNow = parseHttpDate(headerValue(headers, 'date')?.trim() ?? '');
  return parseRetryAfter(headerValue(headers, 'retry-after'), serverNow ?? localNowMs);
}

/** An HTTP date (IMF-fixdate, RFC 850 or asctime) in ms, or undefined if it is not one. */
function parseHttpDate(text: string): number | undefined {
  // Date.parse accepts nearly anything ("1", "-5" are years), so insist on the shape of an
  // HTTP date first: a day name, then somewhere a hh:mm:ss time.
  if (!/^[A-Za-z]{3,9},?\s/.test(text) || !/\d{1,2}:\d{2}:\d{2}/.test(text)) return undefined;
  // HTTP dates are always GMT; asctime carries no zone, and Date.parse would read it as local.
  const at = Date.parse(/\b(?:GMT|UTC)\b|[+-]\d{4}$/.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : at;
}

/** Reads a header case-insensitively (the transport contract says lower case; be forgiving). */
export function headerValue(
  headers: Readonly<Record<string, string>>,
  name: string,
): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
