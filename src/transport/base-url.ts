/**
 * The service's base URL, read once: where the endpoints are, the credentials it may carry, and
 * the name it goes by in journals and messages.
 *
 * - A path is a prefix: `https://host/captcha/v1` posts to `/captcha/v1/in.php` (a gateway that
 *   serves the API below a path), never to `/captcha/in.php`, which URL resolution would give.
 * - Credentials (`https://user:pass@host`) are sent as HTTP basic authorisation, for a gateway
 *   that asks for them, and appear nowhere else: not in the name, not in any message.
 * - A query or fragment has no meaning for the API's endpoints and is refused.
 */
export interface BaseUrl {
  /** `scheme://host[:port]`, without credentials. */
  origin: string;
  /** `host[:port]`: what messages name. */
  host: string;
  /** The endpoints' path prefix, ending in `/` (`/` for none). */
  prefix: string;
  /** `Basic …` when the URL carries credentials. */
  authorization: string | undefined;
  /** The URL without credentials or trailing slash: for journals and messages. */
  name: string;
}

/** Reads a base URL; throws an Error saying what is wrong, without quoting credentials. */
export function parseBaseUrl(raw: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`must be an http(s) URL, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new Error('must not have a query or fragment (the endpoints take their own parameters)');
  }
  const prefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  const authorization =
    url.username === '' && url.password === ''
      ? undefined
      : `Basic ${Buffer.from(
          `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
        ).toString('base64')}`;
  return {
    origin: url.origin,
    host: url.host,
    prefix,
    authorization,
    name: `${url.origin}${prefix === '/' ? '' : prefix.slice(0, -1)}`,
  };
}

/**
 * The name of a service in journals and messages: a base URL's `name`, or the text as it is when
 * it is not a URL (the embedded simulator's name, a journal written before names were kept).
 */
export function serviceName(service: string): string {
  try {
    return parseBaseUrl(service).name;
  } catch {
    return service;
  }
}
