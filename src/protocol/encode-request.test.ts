import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeAction,
  encodeGet,
  encodeGetMany,
  encodeSolveNow,
  encodeSubmit,
} from './encode-request.js';
import { encodeValue } from './encode-value.js';
import type { AnyTask, Task } from './tasks/task.js';

const KEY = '0123456789abcdef0123456789abcdef';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1]);

void describe('encodeSubmit', () => {
  void test('method=post is multipart: the file is split out, never a param', () => {
    const task: Task = { method: 'post', file: JPEG, numeric: 4, regsense: true, calc: false };
    const request = encodeSubmit(task, KEY);
    assert.equal(request.endpoint, 'in.php');
    assert.equal(request.httpMethod, 'POST');
    assert.deepEqual(request.params, {
      method: 'post',
      numeric: '4',
      regsense: '1',
      calc: '0',
      key: KEY,
      json: '1',
    });
    assert.deepEqual(request.file, {
      field: 'file',
      filename: 'captcha.jpg',
      contentType: 'image/jpeg',
      data: JPEG,
    });
  });

  void test('a wrapped file keeps its name and type; unknown bytes are sent as .jpg', () => {
    const named = encodeSubmit(
      { method: 'post', file: { data: JPEG, filename: 'x.png', contentType: 'image/png' } },
      KEY,
    );
    assert.deepEqual(named.file, {
      field: 'file',
      filename: 'x.png',
      contentType: 'image/png',
      data: JPEG,
    });
    const gif = encodeSubmit(
      { method: 'post', file: new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39]) },
      KEY,
    );
    assert.equal(gif.file?.filename, 'captcha.gif');
    const unknown = encodeSubmit(
      { method: 'post', file: { data: new Uint8Array([1, 2, 3]) } },
      KEY,
    );
    assert.equal(unknown.file?.filename, 'captcha.jpg');
  });

  void test('other methods are urlencoded (no file), always with json=1', () => {
    const request = encodeSubmit({ method: 'base64', body: 'aGVsbG8=', phrase: 0 }, KEY);
    assert.equal(request.file, undefined);
    assert.equal('file' in request, false);
    assert.deepEqual(request.params, {
      method: 'base64',
      body: 'aGVsbG8=',
      phrase: '0',
      key: KEY,
      json: '1',
    });
  });

  void test('json=1 and the key win over task parameters of the same name', () => {
    const request = encodeSubmit(
      { method: 'turnstile', sitekey: 's', pageurl: 'p', json: 0, key: 'other' },
      KEY,
    );
    assert.equal(request.params['json'], '1');
    assert.equal(request.params['key'], KEY);
  });

  void test('booleans as 1/0, numbers as decimals, cookies as JSON, absent values left out', () => {
    const cookies = [{ domain: 'e.com', name: 'a', value: 'b', secure: false }];
    const task: AnyTask = {
      method: 'userrecaptcha',
      version: 'v3',
      googlekey: 'g',
      pageurl: 'https://e.com/?a=1&b=2',
      min_score: 0.3,
      enterprise: true,
      json_cookies: cookies,
      skipped: undefined,
      nothing: null,
    };
    const { params } = encodeSubmit(task, KEY);
    assert.equal(params['min_score'], '0.3');
    assert.equal(params['enterprise'], '1');
    assert.equal(params['pageurl'], 'https://e.com/?a=1&b=2');
    assert.equal(params['json_cookies'], JSON.stringify(cookies));
    assert.equal('skipped' in params, false);
    assert.equal('nothing' in params, false);
    assert.equal(
      encodeSubmit(
        { method: 'userrecaptcha', googlekey: 'g', pageurl: 'p', json_cookies: '[]' },
        KEY,
      ).params['json_cookies'],
      '[]',
    );
  });

  void test('the task is not mutated', () => {
    const task = { method: 'post', file: JPEG, phrase: true } as const;
    const before = structuredClone(task);
    encodeSubmit(task, KEY);
    encodeSolveNow(task, KEY);
    assert.deepEqual(task, before);
    assert.equal(Object.keys(task).length, 3);
  });

  void test('solve.php takes the same body', () => {
    const task: Task = { method: 'post', file: JPEG, lang: 'en' };
    const submit = encodeSubmit(task, KEY);
    const now = encodeSolveNow(task, KEY);
    assert.equal(now.endpoint, 'solve.php');
    assert.equal(now.httpMethod, 'POST');
    assert.deepEqual(now.params, submit.params);
    assert.deepEqual(now.file, submit.file);
  });
});

void describe('res.php requests', () => {
  void test('get, get many and actions are GETs with json=1', () => {
    assert.deepEqual(encodeGet('123', KEY), {
      endpoint: 'res.php',
      httpMethod: 'GET',
      params: { key: KEY, action: 'get', id: '123', json: '1' },
    });
    assert.deepEqual(encodeGetMany(['1', '22', '333'], KEY).params, {
      key: KEY,
      action: 'get',
      ids: '1,22,333',
      json: '1',
    });
    assert.deepEqual(encodeAction('getbalance', KEY), {
      endpoint: 'res.php',
      httpMethod: 'GET',
      params: { key: KEY, action: 'getbalance', json: '1' },
    });
    assert.deepEqual(encodeAction('reportbad', KEY, { id: '9' }).params, {
      id: '9',
      key: KEY,
      action: 'reportbad',
      json: '1',
    });
  });

  void test('extra params cannot override key, action or json', () => {
    const { params } = encodeAction('reportgood', KEY, {
      id: '9',
      key: 'x',
      action: 'get',
      json: '0',
    });
    assert.deepEqual(params, { id: '9', key: KEY, action: 'reportgood', json: '1' });
  });
});

void describe('encodeValue', () => {
  void test('numbers never use exponent notation', () => {
    assert.equal(encodeValue('a', 1e21), '1000000000000000000000');
    assert.equal(encodeValue('a', 1e-7), '0.0000001');
    assert.equal(encodeValue('a', -2.5), '-2.5');
    assert.equal(encodeValue('a', 10n), '10');
  });

  void test('refuses what it cannot send, naming the parameter', () => {
    assert.throws(() => encodeValue('when', new Date(0)), /"when" cannot be sent: a Date/);
    assert.throws(() => encodeValue('n', Infinity), /"n" cannot be sent/);
    assert.throws(() => encodeValue('s', Symbol('x')), /"s" cannot be sent: a symbol/);
  });
});
