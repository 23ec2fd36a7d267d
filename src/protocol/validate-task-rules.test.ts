import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import { validateTask } from './validate-task.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

function rejects(task: unknown, parameter: string, pattern: RegExp): void {
  assert.throws(
    () => validateTask(task),
    (error: unknown) => {
      assert.ok(error instanceof InvalidTaskError);
      assert.equal(error.parameter, parameter);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

void describe('validateTask: specific rules', () => {
  void test('the userrecaptcha message matches the documented wording', () => {
    rejects(
      { method: 'userrecaptcha', pageurl: 'https://e.com' },
      'googlekey',
      /^userrecaptcha task is missing required parameter "googlekey"$/,
    );
  });

  void test('geetest v3 needs a challenge, v4 does not', () => {
    rejects({ method: 'geetest', gt: 'a', pageurl: 'https://e.com' }, 'challenge', /"challenge"/);
    rejects(
      { method: 'geetest', version: '3', gt: 'a', pageurl: 'https://e.com' },
      'challenge',
      /"challenge"/,
    );
    assert.doesNotThrow(() =>
      validateTask({ method: 'geetest', version: '4', gt: 'a', pageurl: 'https://e.com' }),
    );
  });

  void test('bls needs body or instructions', () => {
    rejects(
      { method: 'bls' },
      'body',
      /bls task needs one of the parameters "body" or "instructions"/,
    );
    assert.doesNotThrow(() => validateTask({ method: 'bls', instructions: '123' }));
    assert.doesNotThrow(() => validateTask({ method: 'bls', body: 'aGk=' }));
  });

  void test('the image file must be a non-empty byte array, bare or wrapped', () => {
    assert.doesNotThrow(() =>
      validateTask({ method: 'post', file: { data: PNG, filename: 'a.png' } }),
    );
    rejects(
      { method: 'post', file: new Uint8Array(0) },
      'file',
      /"file" must be a non-empty Uint8Array/,
    );
    rejects({ method: 'post', file: 'iVBOR' }, 'file', /"file" must be/);
    rejects({ method: 'post', file: { data: PNG, filename: 7 } }, 'file', /"file" must be/);
  });

  void test('known parameters are type-checked', () => {
    rejects(
      { method: 'turnstile', sitekey: 5, pageurl: 'https://e.com' },
      'sitekey',
      /turnstile task parameter "sitekey" must be a string/,
    );
    rejects(
      { method: 'base64', body: 'x', numeric: 'digits' },
      'numeric',
      /"numeric" must be a number/,
    );
    rejects(
      { method: 'base64', body: 'x', phrase: 2 },
      'phrase',
      /"phrase" must be a boolean, 0 or 1/,
    );
    rejects(
      { method: 'userrecaptcha', googlekey: 'k', pageurl: 'p', json_cookies: [1] },
      'json_cookies',
      /json_cookies/,
    );
    assert.doesNotThrow(() =>
      validateTask({ method: 'base64', body: 'x', numeric: '1', phrase: '0', min_len: 3 }),
    );
  });

  void test('extras must be sendable', () => {
    rejects(
      { method: 'turnstile', sitekey: 's', pageurl: 'p', hook: () => 1 },
      'hook',
      /"hook" cannot be sent: a function/,
    );
    rejects(
      { method: 'turnstile', sitekey: 's', pageurl: 'p', n: Number.NaN },
      'n',
      /"n" cannot be sent: NaN/,
    );
    rejects(
      { method: 'turnstile', sitekey: 's', pageurl: 'p', bytes: PNG },
      'bytes',
      /"bytes" cannot be sent: a Uint8Array/,
    );
    assert.doesNotThrow(() =>
      validateTask({
        method: 'turnstile',
        sitekey: 's',
        pageurl: 'p',
        meta: { a: [1] },
        gone: undefined,
      }),
    );
  });

  void test('not an object, no method, a non-string method', () => {
    rejects(null, 'task', /must be an object/);
    rejects([{ method: 'post' }], 'task', /must be an object/);
    rejects({ sitekey: 's' }, 'method', /missing required parameter "method"/);
    rejects({ method: 7 }, 'method', /"method" must be a non-empty string/);
  });

  void test('unknown methods are refused with the known ones listed, unless allowed', () => {
    rejects(
      { method: 'funcaptcha', publickey: 'p' },
      'method',
      /unknown task method "funcaptcha"; known methods: post, base64, userrecaptcha, .*bls/,
    );
    const custom = { method: 'funcaptcha', publickey: 'p', surl: 'https://s' };
    assert.equal(validateTask(custom, { allowUnknownMethods: true }), custom);
    assert.throws(() => validateTask({ method: ' ' }, { allowUnknownMethods: true }), /"method"/);
    assert.throws(
      () => validateTask({ method: 'x', f: () => 0 }, { allowUnknownMethods: true }),
      /"f" cannot be sent/,
    );
    // Known methods are still checked fully when unknown ones are allowed.
    assert.throws(
      () => validateTask({ method: 'turnstile', sitekey: 's' }, { allowUnknownMethods: true }),
      /"pageurl"/,
    );
  });
});
