import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSolution } from './normalise-solution.js';

void test('GeeTest text form becomes an object', () => {
  assert.deepEqual(
    normaliseSolution('geetest', 'challenge:1a2b,validate:3c4d,seccode:3c4d|jordan'),
    {
      challenge: '1a2b',
      validate: '3c4d',
      seccode: '3c4d|jordan',
    },
  );
});

void test('a JSON-string object is parsed for structured methods', () => {
  assert.deepEqual(normaliseSolution('lemin', '{"answer":"0xaa","challenge_uuid":"u-1"}'), {
    answer: '0xaa',
    challenge_uuid: 'u-1',
  });
  assert.equal(normaliseSolution('geetest_v4', '{"broken":'), '{"broken":');
});

void test('objects stay objects, numbers become strings, tokens stay as sent', () => {
  const object = { geetest_challenge: 'c' };
  assert.equal(normaliseSolution('geetest', object), object);
  assert.equal(normaliseSolution('base64', 1234), '1234');
  assert.equal(normaliseSolution('userrecaptcha', 'a:b,c:d'), 'a:b,c:d');
  assert.equal(
    normaliseSolution('cloudflare_challenge', 'cf_clearance=x;user_agent=y'),
    'cf_clearance=x;user_agent=y',
  );
  assert.equal(normaliseSolution('geetest', 'just a token'), 'just a token');
});

void test('an object answered for a method typed as text comes back as its JSON text, not lost', () => {
  assert.equal(normaliseSolution('post', { text: 'a' }), '{"text":"a"}');
  assert.equal(normaliseSolution('friendly_captcha', { a: '1' }), '{"a":"1"}');
  assert.deepEqual(normaliseSolution('geetest', { challenge: 'c' }), { challenge: 'c' });
});
