import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from '../errors/http-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { Answer } from './answer.js';
import { parseGetMany, type GetManyResult } from './parse-get-many.js';

const IDS = ['101', '102', '103'];
const ok = (body: string) => ({ status: 200, headers: {}, body });

function answers(result: GetManyResult): Record<string, Answer> {
  assert.equal(result.kind, 'answers');
  return Object.fromEntries(result.kind === 'answers' ? result.answers : []);
}

const EXPECTED = {
  '101': { kind: 'ok', value: 'abc', extra: {} },
  '102': { kind: 'not-ready' },
  '103': { kind: 'ok', value: '03AGd', extra: {} },
};

void describe('parseGetMany', () => {
  void test('text form, in id order', () => {
    assert.deepEqual(answers(parseGetMany(ok('abc|CAPCHA_NOT_READY|03AGd'), IDS, 0)), EXPECTED);
  });

  void test('a leading OK| is tolerated, but only when it makes the count right', () => {
    assert.deepEqual(answers(parseGetMany(ok('OK|abc|CAPCHA_NOT_READY|03AGd'), IDS, 0)), EXPECTED);
    // Here the first answer is the text "OK" itself.
    assert.deepEqual(answers(parseGetMany(ok('OK|CAPTCHA_NOT_READY'), ['1', '2'], 0)), {
      '1': { kind: 'ok', value: 'OK', extra: {} },
      '2': { kind: 'not-ready' },
    });
  });

  void test('JSON form with request as a string or an array', () => {
    assert.deepEqual(
      answers(parseGetMany(ok('{"status":1,"request":"abc|CAPCHA_NOT_READY|03AGd"}'), IDS, 0)),
      EXPECTED,
    );
    assert.deepEqual(
      answers(
        parseGetMany(ok('{"status":"1","request":["abc","CAPCHA_NOT_READY","03AGd"]}'), IDS, 0),
      ),
      EXPECTED,
    );
  });

  void test('per-id error codes', () => {
    assert.deepEqual(
      answers(parseGetMany(ok('ERROR_CAPTCHA_UNSOLVABLE|7|ERROR_WRONG_CAPTCHA_ID'), IDS, 0)),
      {
        '101': { kind: 'error', code: 'ERROR_CAPTCHA_UNSOLVABLE' },
        '102': { kind: 'ok', value: '7', extra: {} },
        '103': { kind: 'error', code: 'ERROR_WRONG_CAPTCHA_ID' },
      },
    );
  });

  void test('one not-ready for all', () => {
    const all = answers(parseGetMany(ok('{"status":0,"request":"CAPCHA_NOT_READY"}'), IDS, 0));
    assert.deepEqual(Object.values(all), [
      { kind: 'not-ready' },
      { kind: 'not-ready' },
      { kind: 'not-ready' },
    ]);
  });

  void test('a service without ids= support is told apart, so the caller falls back', () => {
    assert.deepEqual(
      parseGetMany(
        ok('{"status":0,"request":"ERROR_WRONG_ID_FORMAT","error_text":"digits only"}'),
        IDS,
        0,
      ),
      {
        kind: 'error',
        code: 'ERROR_WRONG_ID_FORMAT',
        errorText: 'digits only',
        unsupported: true,
      },
    );
    assert.deepEqual(parseGetMany(ok('ERROR_WRONG_ID_FORMAT'), IDS, 0), {
      kind: 'error',
      code: 'ERROR_WRONG_ID_FORMAT',
      unsupported: true,
    });
    assert.deepEqual(parseGetMany(ok('ERROR_WRONG_ID_FORMAT'), ['1'], 0), {
      kind: 'error',
      code: 'ERROR_WRONG_ID_FORMAT',
      unsupported: true,
    });
  });

  void test('a whole-request error that is not about ids= is classified by the caller', () => {
    assert.deepEqual(
      parseGetMany(ok('{"status":0,"request":"ERROR_KEY_DOES_NOT_EXIST"}'), IDS, 0),
      {
        kind: 'error',
        code: 'ERROR_KEY_DOES_NOT_EXIST',
        unsupported: false,
      },
    );
    // With one id, a single code is that task's answer.
    assert.deepEqual(
      answers(parseGetMany(ok('{"status":0,"request":"ERROR_CAPTCHA_UNSOLVABLE"}'), ['9'], 0)),
      {
        '9': { kind: 'error', code: 'ERROR_CAPTCHA_UNSOLVABLE' },
      },
    );
  });

  void test('a part count that does not match the ids is a ProtocolError', () => {
    assert.throws(
      () => parseGetMany(ok('abc|CAPCHA_NOT_READY'), IDS, 0),
      /2 results to a batch poll of 3 ids/,
    );
    assert.throws(() => parseGetMany(ok('a|b|c|d'), IDS, 0), ProtocolError);
    // An answer containing | shifts the count.
    assert.throws(
      () => parseGetMany(ok('{"status":1,"request":"x|y|z|CAPCHA_NOT_READY"}'), IDS, 0),
      ProtocolError,
    );
    assert.throws(
      () => parseGetMany(ok('{"status":1,"request":["a","b"]}'), IDS, 0),
      ProtocolError,
    );
  });

  void test('garbage, empty parts and HTTP errors', () => {
    assert.throws(() => parseGetMany(ok('<html>502</html>'), IDS, 0), /HTML page/);
    assert.throws(() => parseGetMany(ok(''), IDS, 0), ProtocolError);
    assert.throws(() => parseGetMany(ok('a||c'), IDS, 0), /empty result/);
    assert.throws(() => parseGetMany(ok('{"status":1,"request":'), IDS, 0), ProtocolError);
    assert.throws(() => parseGetMany({ status: 500, headers: {}, body: '' }, IDS, 0), HttpError);
  });
});
