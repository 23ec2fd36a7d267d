import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors/api-error.js';
import { HttpError } from '../errors/http-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { ApiResponse } from '../transport/types.js';
import { parseAnswer, parseAnswerOrThrow } from './parse-answer.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

function ok(body: string, headers: Record<string, string> = {}): ApiResponse {
  return { status: 200, headers, body };
}

const res = (body: string) => parseAnswer(ok(body), 'res.php', NOW);

void describe('parseAnswer: JSON form', () => {
  void test('request as a string, a number or an object', () => {
    assert.deepEqual(res('{"status":1,"request":"03AGdBq24PBCb"}'), {
      kind: 'ok',
      value: '03AGdBq24PBCb',
      extra: {},
    });
    assert.deepEqual(parseAnswer(ok('{"status": 1, "request": 3397637370}'), 'in.php', NOW), {
      kind: 'ok',
      value: 3397637370,
      extra: {},
    });
    const geetest = { geetest_challenge: 'c', geetest_validate: 'v', geetest_seccode: 's|jordan' };
    assert.deepEqual(res(JSON.stringify({ status: 1, request: geetest })), {
      kind: 'ok',
      value: geetest,
      extra: {},
    });
  });

  void test('status as a string', () => {
    assert.deepEqual(res('{"status":"1","request":"12.5"}'), {
      kind: 'ok',
      value: '12.5',
      extra: {},
    });
    assert.deepEqual(res('{"status":"0","request":"ERROR_WRONG_CAPTCHA_ID"}'), {
      kind: 'error',
      code: 'ERROR_WRONG_CAPTCHA_ID',
    });
  });

  void test('extra top-level fields are kept', () => {
    const body = JSON.stringify({
      status: 1,
      request: 'cf_clearance_value',
      user_agent: 'Mozilla/5.0',
      useragent: 'ua',
      cookies: { a: 'b' },
      respKey: 'E0_ey',
      price: '0.0012',
    });
    assert.deepEqual(res(body), {
      kind: 'ok',
      value: 'cf_clearance_value',
      extra: {
        user_agent: 'Mozilla/5.0',
        useragent: 'ua',
        cookies: { a: 'b' },
        respKey: 'E0_ey',
        price: '0.0012',
      },
    });
  });

  void test('not ready in both spellings, whatever the status', () => {
    assert.deepEqual(res('{"status":0,"request":"CAPCHA_NOT_READY"}'), { kind: 'not-ready' });
    assert.deepEqual(res('{"status":0,"request":"CAPTCHA_NOT_READY"}'), { kind: 'not-ready' });
    assert.deepEqual(res('{"status":1,"request":"CAPCHA_NOT_READY"}'), { kind: 'not-ready' });
  });

  void test('status 0 is an error, error_text kept', () => {
    assert.deepEqual(
      res(
        '{"status":0,"request":"ERROR_CAPTCHA_UNSOLVABLE","error_text":"Workers could not solve it"}',
      ),
      {
        kind: 'error',
        code: 'ERROR_CAPTCHA_UNSOLVABLE',
        errorText: 'Workers could not solve it',
      },
    );
    assert.deepEqual(res('{"status":0,"request":"ERROR:1002"}'), {
      kind: 'error',
      code: 'ERROR: 1002',
    });
  });

  void test('truncated or malformed JSON is a ProtocolError', () => {
    assert.throws(() => res('{"status":1,"request":"03AGd'), ProtocolError);
    assert.throws(() => res('{"request":"x"}'), /without a status/);
    assert.throws(() => res('{"status":2,"request":"x"}'), ProtocolError);
    assert.throws(
      () => res('{"status":0,"request":"something went wrong"}'),
      /status 0 without an error code/,
    );
    assert.throws(() => res('{"status":1,"request":[1,2]}'), ProtocolError);
  });
});

void describe('parseAnswer: text form', () => {
  void test('OK|value keeps everything after the first OK|', () => {
    assert.deepEqual(parseAnswer(ok('OK|2122988149'), 'in.php', NOW), {
      kind: 'ok',
      value: '2122988149',
      extra: {},
    });
    assert.deepEqual(res('OK|cf_clearance=abc;user_agent=Mozilla|5.0\n'), {
      kind: 'ok',
      value: 'cf_clearance=abc;user_agent=Mozilla|5.0',
      extra: {},
    });
    assert.deepEqual(res('OK|OK|x'), { kind: 'ok', value: 'OK|x', extra: {} });
  });

  void test('OK alone, report answers and a bare balance', () => {
    assert.deepEqual(res('OK'), { kind: 'ok', value: 'OK', extra: {} });
    assert.deepEqual(res('OK_REPORT_RECORDED'), {
      kind: 'ok',
      value: 'OK_REPORT_RECORDED',
      extra: {},
    });
    assert.deepEqual(res('1.234'), { kind: 'ok', value: '1.234', extra: {} });
    assert.deepEqual(res('0'), { kind: 'ok', value: '0', extra: {} });
  });

  void test('an empty 200 body is success on res.php (CaptchaAI reports), garbage elsewhere', () => {
    assert.deepEqual(res(''), { kind: 'ok', value: '', extra: {} });
    assert.deepEqual(res('  \n'), { kind: 'ok', value: '', extra: {} });
    assert.throws(() => parseAnswer(ok(''), 'in.php', NOW), ProtocolError);
  });

  void test('not ready in both spellings', () => {
    assert.deepEqual(res('CAPCHA_NOT_READY'), { kind: 'not-ready' });
    assert.deepEqual(res('CAPTCHA_NOT_READY'), { kind: 'not-ready' });
  });

  void test('bare codes of every shape', () => {
    for (const code of [
      'ERROR_ZERO_BALANCE',
      'IP_BANNED',
      'MAX_USER_TURN',
      'REPORT_NOT_RECORDED',
      'ERROR: 1001',
      'ERROR_NEW_THING',
    ]) {
      assert.deepEqual(parseAnswer(ok(code), 'in.php', NOW), { kind: 'error', code }, code);
    }
    assert.deepEqual(res('ERROR:1005'), { kind: 'error', code: 'ERROR: 1005' });
  });

  void test('HTML pages and other text are ProtocolErrors', () => {
    const html =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    assert.throws(() => res(html), /res\.php answered an HTML page/);
    assert.throws(() => res('<html><body>500</body></html>'), /HTML page/);
    assert.throws(() => res('Service temporarily unavailable'), /text that is not an answer/);
    assert.throws(() => res('Error 1001'), ProtocolError);
    assert.throws(() => res('5|2|3'), ProtocolError);
  });
});

void describe('parseAnswer: HTTP status', () => {
  void test('a 502 HTML page is an HttpError, not parsed', () => {
    const error = catchError(() =>
      parseAnswer(
        { status: 502, headers: {}, body: '<html>502 Bad Gateway</html>' },
        'in.php',
        NOW,
      ),
    );
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 502);
    assert.equal(error.retryAfterMs, undefined);
  });

  void test('Retry-After as delta-seconds and as an HTTP date', () => {
    const seconds = catchError(() =>
      parseAnswer({ status: 429, headers: { 'retry-after': '30' }, body: '' }, 'res.php', NOW),
    );
    assert.ok(seconds instanceof HttpError);
    assert.equal(seconds.retryAfterMs, 30_000);
    const date = new Date(NOW + 90_000).toUTCString();
    const dated = catchError(() =>
      parseAnswer({ status: 503, headers: { 'retry-after': date }, body: '' }, 'res.php', NOW),
    );
    assert.ok(dated instanceof HttpError);
    assert.equal(dated.retryAfterMs, 90_000);
  });

  void test('a 204 is not a 200', () => {
    assert.throws(
      () => parseAnswer({ status: 204, headers: {}, body: '' }, 'res.php', NOW),
      HttpError,
    );
  });
});

void describe('parseAnswerOrThrow', () => {
  void test('error codes become ApiErrors carrying code, endpoint and text', () => {
    const error = catchError(() =>
      parseAnswerOrThrow(
        ok('{"status":0,"request":"ERROR_ZERO_BALANCE","error_text":"No free threads"}'),
        'in.php',
        NOW,
      ),
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'ERROR_ZERO_BALANCE');
    assert.equal(error.endpoint, 'in.php');
    assert.equal(error.errorText, 'No free threads');
  });

  void test('ok and not-ready are returned', () => {
    assert.deepEqual(parseAnswerOrThrow(ok('OK|7'), 'in.php', NOW), {
      kind: 'ok',
      value: '7',
      extra: {},
    });
    assert.deepEqual(parseAnswerOrThrow(ok('CAPCHA_NOT_READY'), 'res.php', NOW), {
      kind: 'not-ready',
    });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}
