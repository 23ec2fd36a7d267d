import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from './abort-error.js';
import { ApiError } from './api-error.js';
import {
  classify,
  classifyCode,
  isRetryable,
  type Classification,
  type ErrorKind,
} from './classify.js';
import { ConfigError } from './config-error.js';
import { ERROR_CODES, isKnownErrorCode } from './error-codes.js';
import { HttpError } from './http-error.js';
import { InvalidTaskError } from './invalid-task-error.js';
import { NetworkError } from './network-error.js';
import { ProtocolError } from './protocol-error.js';
import { TimeoutError } from './timeout-error.js';

const FT: Classification = { kind: 'fatal-task' };
const FA: Classification = { kind: 'fatal-account' };
const same = (c: Classification): [Classification, Classification] => [c, c];

/** Every code of docs/protocol.md, "Error codes": [captchaai profile, 2captcha profile]. */
const EXPECTED: Record<string, [Classification, Classification]> = {
  ERROR_WRONG_USER_KEY: same(FA),
  ERROR_KEY_DOES_NOT_EXIST: same(FA),
  ERROR_ZERO_BALANCE: [{ kind: 'capacity' }, FA],
  ERROR_NO_SLOT_AVAILABLE: same({ kind: 'capacity' }),
  ERROR_PAGEURL: same(FT),
  ERROR_ZERO_CAPTCHA_FILESIZE: same(FT),
  ERROR_TOO_BIG_CAPTCHA_FILESIZE: same(FT),
  ERROR_WRONG_FILE_EXTENSION: same(FT),
  ERROR_IMAGE_TYPE_NOT_SUPPORTED: same(FT),
  ERROR_UPLOAD: same(FT),
  IP_BANNED: same({ kind: 'fatal-account', pauseMs: 300_000 }),
  ERROR_IP_BANNED: same({ kind: 'fatal-account', pauseMs: 300_000 }),
  ERROR_BAD_TOKEN_OR_PAGEURL: same(FT),
  ERROR_GOOGLEKEY: same(FT),
  ERROR_WRONG_GOOGLEKEY: same(FT),
  ERROR_CAPTCHAIMAGE_BLOCKED: same(FT),
  ERROR_BAD_PARAMETERS: same(FT),
  ERROR_BAD_PROXY: same(FT),
  ERROR_SERVER_ERROR: same({ kind: 'transient' }),
  ERROR_INTERNAL_SERVER_ERROR: same({ kind: 'transient' }),
  ERROR_IP_NOT_ALLOWED: same(FA),
  MAX_USER_TURN: same({ kind: 'throttled', pauseMs: 10_000 }),
  'ERROR: 1001': same({ kind: 'throttled', pauseMs: 600_000 }),
  'ERROR: 1002': same({ kind: 'throttled', pauseMs: 300_000 }),
  'ERROR: 1003': same({ kind: 'throttled', pauseMs: 30_000 }),
  'ERROR: 1004': same({ kind: 'throttled', pauseMs: 600_000 }),
  'ERROR: 1005': same({ kind: 'throttled', pauseMs: 300_000 }),
  TOO_MANY_BAD_IMAGES: same(FT),
  ERROR_CAPTCHA_ID: same(FT),
  ERROR_TOO_MUCH_REQUESTS: same({ kind: 'throttled' }),
  ERROR_DOMAIN_NOT_ALLOWED: same(FT),
  ERROR_BAD_REQUEST: same(FT),
  ERROR_EMPTY_CAPTCHA: same(FT),
  ERROR_CAPTCHA_UNSOLVABLE: same(FT),
  ERROR_WRONG_ID_FORMAT: same(FT),
  ERROR_WRONG_CAPTCHA_ID: same(FT),
  ERROR_EMPTY_ACTION: same(FT),
  ERROR_PROXY_CONNECTION_FAILED: same(FT),
  ERROR_BAD_DUPLICATES: same(FT),
  ERROR_TOKEN_EXPIRED: same(FT),
  REPORT_NOT_RECORDED: same(FT),
  ERROR_REPORT_NOT_RECORDED: same(FT),
  ERROR_DUPLICATE_REPORT: same(FT),
  ERROR_IP_ADDRES: same(FT),
};

void describe('error codes', () => {
  void test('the table lists exactly the codes classified here, each with a meaning', () => {
    assert.deepEqual(Object.keys(ERROR_CODES).sort(), Object.keys(EXPECTED).sort());
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      assert.ok(meaning.length > 10 && !meaning.includes('\n'), code);
    }
    assert.equal(isKnownErrorCode('IP_BANNED'), true);
    assert.equal(isKnownErrorCode('ERROR_SOMETHING_NEW'), false);
    assert.equal(isKnownErrorCode('toString'), false);
  });
});

void describe('classify: every service code in both profiles', () => {
  for (const [code, [captchaai, twocaptcha]] of Object.entries(EXPECTED)) {
    void test(code, () => {
      const inPhp = new ApiError(code, 'in.php', 'some text');
      assert.deepEqual(classify(inPhp, 'captchaai'), captchaai);
      assert.deepEqual(classify(inPhp, '2captcha'), twocaptcha);
      assert.deepEqual(classify(new ApiError(code, 'res.php'), 'captchaai'), captchaai);
    });
  }

  void test('unknown codes are fatal for the task', () => {
    assert.deepEqual(classify(new ApiError('ERROR_SOMETHING_NEW', 'in.php'), 'captchaai'), FT);
    assert.deepEqual(classify(new ApiError('ERROR: 1099', 'in.php'), '2captcha'), FT);
  });

  void test('ERROR: 100x is read with or without the space', () => {
    assert.deepEqual(classifyCode('ERROR:1003', '2captcha'), {
      kind: 'throttled',
      pauseMs: 30_000,
    });
    assert.deepEqual(classifyCode(' ERROR: 1004 ', '2captcha'), {
      kind: 'throttled',
      pauseMs: 600_000,
    });
  });
});

void describe('classify: HTTP, network and local errors', () => {
  void test('429 is throttled, with Retry-After as the pause when sent', () => {
    assert.deepEqual(classify(new HttpError(429, 7000), 'captchaai'), {
      kind: 'throttled',
      pauseMs: 7000,
    });
    assert.deepEqual(classify(new HttpError(429, 0), '2captcha'), {
      kind: 'throttled',
      pauseMs: 0,
    });
    assert.deepEqual(classify(new HttpError(429), 'captchaai'), { kind: 'throttled' });
  });

  void test('5xx and other non-200 statuses are transient', () => {
    assert.deepEqual(classify(new HttpError(502), 'captchaai'), { kind: 'transient' });
    assert.deepEqual(classify(new HttpError(503, 2000), '2captcha'), {
      kind: 'transient',
      pauseMs: 2000,
    });
    assert.deepEqual(classify(new HttpError(404), 'captchaai'), { kind: 'transient' });
  });

  void test('unparseable answers and network failures are transient', () => {
    assert.deepEqual(classify(new ProtocolError('x'), 'captchaai'), { kind: 'transient' });
    assert.deepEqual(classify(new NetworkError('ECONNRESET', 'reset', true), '2captcha'), {
      kind: 'transient',
    });
  });

  void test('aborts are aborted, timeouts and invalid input fatal for the task', () => {
    assert.deepEqual(classify(new AbortError('stop'), 'captchaai'), { kind: 'aborted' });
    assert.deepEqual(classify(new DOMException('aborted', 'AbortError'), 'captchaai'), {
      kind: 'aborted',
    });
    assert.deepEqual(classify(new TimeoutError(1000, '1'), 'captchaai'), FT);
    assert.deepEqual(classify(new InvalidTaskError('googlekey', 'missing'), 'captchaai'), FT);
    assert.deepEqual(classify(new ConfigError('key', 'bad'), 'captchaai'), FT);
    assert.deepEqual(classify(new TypeError('bug'), 'captchaai'), FT);
    assert.deepEqual(classify('a string', '2captcha'), FT);
    assert.deepEqual(classify(undefined, '2captcha'), FT);
  });

  void test('errors from another copy of the library are recognised by brand and name', () => {
    const foreign = (name: string, fields: Record<string, unknown>): Error => {
      const error = Object.assign(new Error('x'), { name, ...fields });
      Object.defineProperty(error, Symbol.for('captchaai.error'), { value: true });
      return error;
    };
    assert.deepEqual(
      classify(foreign('HttpError', { status: 429, retryAfterMs: 5 }), 'captchaai'),
      {
        kind: 'throttled',
        pauseMs: 5,
      },
    );
    assert.deepEqual(classify(foreign('ApiError', { code: 'ERROR_ZERO_BALANCE' }), 'captchaai'), {
      kind: 'capacity',
    });
    assert.deepEqual(classify(foreign('NetworkError', { code: 'ECONNRESET' }), 'captchaai'), {
      kind: 'transient',
    });
    assert.deepEqual(classify(foreign('AbortError', {}), 'captchaai'), { kind: 'aborted' });
    // Without the brand, a look-alike is just an unknown error.
    assert.deepEqual(
      classify(Object.assign(new Error('x'), { name: 'NetworkError' }), 'captchaai'),
      FT,
    );
  });
});

void test('isRetryable: only capacity, throttled and transient', () => {
  const kinds: ErrorKind[] = [
    'capacity',
    'throttled',
    'transient',
    'fatal-account',
    'fatal-task',
    'aborted',
  ];
  assert.deepEqual(
    kinds.filter((k) => isRetryable(k)),
    ['capacity', 'throttled', 'transient'],
  );
});
