import type { ApiResponse } from '../transport/types.js';

/** Short English `error_text`s, as 2captcha-style JSON answers carry (content unspecified). */
const ERROR_TEXTS: Record<string, string> = {
  ERROR_WRONG_USER_KEY: 'The key must be 32 characters long.',
  ERROR_KEY_DOES_NOT_EXIST: 'The key does not exist, or the account has no threads.',
  ERROR_ZERO_BALANCE: "You don't have free threads.",
  ERROR_NO_SLOT_AVAILABLE: 'No slot available: every thread is busy.',
  ERROR_PAGEURL: 'pageurl is missing.',
  ERROR_ZERO_CAPTCHA_FILESIZE: 'The image is too small.',
  ERROR_TOO_BIG_CAPTCHA_FILESIZE: 'The image is too big.',
  ERROR_WRONG_FILE_EXTENSION: 'The file extension must be jpg, jpeg, gif or png.',
  ERROR_IMAGE_TYPE_NOT_SUPPORTED: 'The image type is not supported.',
  ERROR_UPLOAD: 'Could not read the image from the request.',
  ERROR_GOOGLEKEY: 'The sitekey is blank or malformed.',
  ERROR_WRONG_GOOGLEKEY: 'googlekey is missing.',
  ERROR_BAD_PARAMETERS: 'Required parameters are missing or malformed.',
  ERROR_CAPTCHA_UNSOLVABLE: 'We are unable to solve your captcha.',
  ERROR_WRONG_ID_FORMAT: 'The id can contain numbers only.',
  ERROR_WRONG_CAPTCHA_ID: 'No task with this id (or it expired).',
  ERROR_EMPTY_ACTION: 'action is missing.',
  IP_BANNED: 'Too many requests with wrong keys from this IP; lifted after 5 minutes.',
  MAX_USER_TURN: 'Too many submits; blocked for 10 seconds.',
  'ERROR: 1001': 'Too many NO_SLOT answers; blocked for 10 minutes.',
  'ERROR: 1002': 'Too many ZERO_BALANCE answers; blocked for 5 minutes.',
  'ERROR: 1004': 'Too many wrong keys from this IP; blocked for 10 minutes.',
  'ERROR: 1005': 'Too many res.php requests for one task; blocked for 5 minutes.',
};

const BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** An nginx-style 502 page, the "HTML 500/502 pages possible" of the docs. */
export function badGateway(): ApiResponse {
  return { status: 502, headers: { 'content-type': 'text/html' }, body: BAD_GATEWAY };
}

/** `ms` as an HTTP date (`Date`, `Retry-After`): whole seconds, the fraction dropped. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * Builds answers in the request's form: `json=1` → JSON, else plain text; `header_acao=1` adds
 * `Access-Control-Allow-Origin: *`. Remembers every code it answered, for the stats. Given the
 * simulator's time, every answer carries it as `Date`, as a real server's does: a client reads an
 * HTTP-date `Retry-After` against it, and the simulator's clock (virtual, scaled) is not the
 * client's.
 */
export class Reply {
  readonly json: boolean;
  private readonly acao: boolean;
  private readonly date: string | undefined;
  /** Error codes (and CAPCHA_NOT_READY) this reply produced. */
  readonly codes: string[] = [];

  constructor(params: Record<string, string>, now?: number) {
    this.json = params.json === '1';
    this.acao = params.header_acao === '1';
    this.date = now === undefined ? undefined : httpDate(now);
  }

  private answer(body: string, status = 200, extra: Record<string, string> = {}): ApiResponse {
    const headers: Record<string, string> = {
      'content-type':
        this.json && body.startsWith('{') ? 'application/json' : 'text/plain; charset=utf-8',
      ...extra,
    };
    if (this.acao) headers['access-control-allow-origin'] = '*';
    if (this.date !== undefined) headers.date = this.date;
    return { status, headers, body };
  }

  /** Success: `OK|value` or `{"status":1,"request":value, ...extras}`. */
  ok(text: string, json: unknown = text, extras?: Record<string, unknown>): ApiResponse {
    if (!this.json) return this.answer(`OK|${text}`);
    return this.answer(JSON.stringify({ status: 1, request: json, ...extras }));
  }

  /** Success without the `OK|` prefix in text mode (balance, threadsinfo, batch polls). */
  bare(text: string, json: unknown = text): ApiResponse {
    if (!this.json) return this.answer(text);
    return this.answer(JSON.stringify({ status: 1, request: json }));
  }

  notReady(): ApiResponse {
    this.codes.push('CAPCHA_NOT_READY');
    if (!this.json) return this.answer('CAPCHA_NOT_READY');
    return this.answer(JSON.stringify({ status: 0, request: 'CAPCHA_NOT_READY' }));
  }

  error(code: string): ApiResponse {
    this.codes.push(code);
    if (!this.json) return this.answer(code);
    const text = ERROR_TEXTS[code];
    return this.answer(
      JSON.stringify({ status: 0, request: code, ...(text ? { error_text: text } : {}) }),
    );
  }

  /** CaptchaAI's report answer: HTTP 200, empty body. */
  empty(): ApiResponse {
    return this.answer('');
  }

  /** HTTP 429, optionally with Retry-After. Not a processed request. */
  tooManyRequests(retryAfter: string | undefined): ApiResponse {
    this.codes.push('HTTP_429');
    return this.answer(
      '429 Too Many Requests',
      429,
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }
}
