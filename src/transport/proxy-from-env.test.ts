import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyFromEnv } from './proxy-from-env.js';

const API = new URL('https://ocr.captchaai.com');
const LOCAL = new URL('http://127.0.0.1:8080');

test('https targets use https_proxy / HTTPS_PROXY, http targets http_proxy / HTTP_PROXY', () => {
  const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://plain:3128' };
  assert.equal(proxyFromEnv(API, env), 'http://proxy:3128');
  assert.equal(proxyFromEnv(LOCAL, env), 'http://plain:3128');
  assert.equal(
    proxyFromEnv(API, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://up:1' }),
    'http://lower:1',
  );
  assert.equal(proxyFromEnv(API, { HTTP_PROXY: 'http://plain:3128' }), undefined);
  assert.equal(proxyFromEnv(API, {}), undefined);
  assert.equal(proxyFromEnv(API, { HTTPS_PROXY: ' ' }), undefined);
});

test('NO_PROXY: hosts, domains with their subdomains, ports, and *', () => {
  const env = (noProxy: string) => ({
    HTTPS_PROXY: 'http://p:1',
    HTTP_PROXY: 'http://p:1',
    NO_PROXY: noProxy,
  });
  assert.equal(proxyFromEnv(API, env('captchaai.com')), undefined);
  assert.equal(proxyFromEnv(API, env('.captchaai.com')), undefined);
  assert.equal(proxyFromEnv(API, env('*.captchaai.com')), undefined);
  assert.equal(proxyFromEnv(API, env('localhost, ocr.captchaai.com:443')), undefined);
  assert.equal(proxyFromEnv(API, env('ocr.captchaai.com:8443')), 'http://p:1');
  assert.equal(proxyFromEnv(API, env('aicaptchaai.com,example.com')), 'http://p:1');
  assert.equal(proxyFromEnv(LOCAL, env('127.0.0.1')), undefined);
  assert.equal(proxyFromEnv(LOCAL, env('127.0.0.1:9090')), 'http://p:1');
  assert.equal(proxyFromEnv(LOCAL, env('*')), undefined);
  assert.equal(proxyFromEnv(new URL('http://[::1]:80'), env('[::1]')), undefined);
  assert.equal(
    proxyFromEnv(API, { HTTPS_PROXY: 'http://p:1', no_proxy: 'captchaai.com', NO_PROXY: '' }),
    undefined,
  );
});
