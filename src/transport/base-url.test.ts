import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBaseUrl, serviceName } from './base-url.js';

test('a path is a prefix of the endpoints, with or without its trailing slash', () => {
  assert.equal(parseBaseUrl('https://ocr.captchaai.com').prefix, '/');
  assert.equal(parseBaseUrl('https://ocr.captchaai.com/').prefix, '/');
  assert.equal(parseBaseUrl('http://h:8080/sub/path').prefix, '/sub/path/');
  assert.equal(parseBaseUrl('http://h:8080/sub/path/').prefix, '/sub/path/');
});

test('credentials become basic authorisation and leave the name', () => {
  const base = parseBaseUrl('https://us%40er:p%3Ass@gw.example:8443/api/');
  assert.equal(base.authorization, `Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
  assert.equal(base.origin, 'https://gw.example:8443');
  assert.equal(base.name, 'https://gw.example:8443/api');
  assert.ok(!base.name.includes('p%3Ass') && !base.name.includes('us%40er'));
  assert.equal(parseBaseUrl('https://gw.example').authorization, undefined);
});

test('the name ignores a trailing slash, so a journal written either way is the same service', () => {
  assert.equal(serviceName('https://ocr.captchaai.com/'), 'https://ocr.captchaai.com');
  assert.equal(serviceName('http://u:secret@127.0.0.1:9/'), 'http://127.0.0.1:9');
  // Not a URL (the embedded simulator's name): as it is.
  assert.equal(serviceName('embedded simulator'), 'embedded simulator');
});

test('what is not a usable base URL is refused, without quoting it', () => {
  for (const [raw, why] of [
    ['ocr.captchaai.com', /not a URL/],
    ['ftp://u:secret@h/', /http\(s\)/],
    ['https://u:secret@h/?x=1', /query or fragment/],
    ['https://u:secret@h/#top', /query or fragment/],
  ] as const) {
    assert.throws(
      () => parseBaseUrl(raw),
      (error: Error) => why.test(error.message) && !error.message.includes('secret'),
    );
  }
});
