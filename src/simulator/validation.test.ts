import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { file, GK, IMG, PROXY, setup, URL_ } from './fixtures.test-helper.js';
import type { ApiFile } from '../transport/types.js';

describe('simulator submit validation', () => {
  const cases: Array<[string, Record<string, string>, string, ApiFile?]> = [
    [
      'unknown method',
      { method: 'funcaptcha', publickey: 'x', pageurl: URL_ },
      'ERROR_BAD_PARAMETERS',
    ],
    ['no method', { pageurl: URL_ }, 'ERROR_BAD_PARAMETERS'],
    ['v2 without googlekey', { method: 'userrecaptcha', pageurl: URL_ }, 'ERROR_WRONG_GOOGLEKEY'],
    [
      'v2 with a short googlekey',
      { method: 'userrecaptcha', googlekey: 'abc', pageurl: URL_ },
      'ERROR_GOOGLEKEY',
    ],
    ['v2 without pageurl', { method: 'userrecaptcha', googlekey: GK }, 'ERROR_PAGEURL'],
    [
      'v2 with bad json_cookies',
      { method: 'userrecaptcha', googlekey: GK, pageurl: URL_, json_cookies: '{' },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'v2 with a bad proxytype',
      {
        method: 'userrecaptcha',
        googlekey: GK,
        pageurl: URL_,
        proxy: '1.2.3.4:80',
        proxytype: 'FTP',
      },
      'ERROR_BAD_PARAMETERS',
    ],
    ['turnstile without sitekey', { method: 'turnstile', pageurl: URL_ }, 'ERROR_BAD_PARAMETERS'],
    ['turnstile without pageurl', { method: 'turnstile', sitekey: '0x4AAA' }, 'ERROR_PAGEURL'],
    ['hcaptcha without sitekey', { method: 'hcaptcha', pageurl: URL_ }, 'ERROR_BAD_PARAMETERS'],
    [
      'challenge without userAgent',
      { method: 'cloudflare_challenge', pageurl: URL_, ...PROXY },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'challenge without proxy',
      { method: 'cloudflare_challenge', pageurl: URL_, userAgent: 'UA', proxytype: 'HTTP' },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'challenge without proxytype',
      { method: 'cloudflare_challenge', pageurl: URL_, userAgent: 'UA', proxy: '1.2.3.4:80' },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'challenge without pageurl',
      { method: 'cloudflare_challenge', userAgent: 'UA', ...PROXY },
      'ERROR_PAGEURL',
    ],
    [
      'geetest without challenge',
      { method: 'geetest', gt: 'g', pageurl: URL_ },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'geetest v4 without gt',
      { method: 'geetest', version: '4', pageurl: URL_ },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'geetest_v4 without captcha_id',
      { method: 'geetest_v4', pageurl: URL_ },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'captchafox without proxy',
      { method: 'captchafox', sitekey: 's', pageurl: URL_ },
      'ERROR_BAD_PARAMETERS',
    ],
    [
      'friendly_captcha without sitekey',
      { method: 'friendly_captcha', pageurl: URL_ },
      'ERROR_BAD_PARAMETERS',
    ],
    ['lemin without captcha_id', { method: 'lemin', pageurl: URL_ }, 'ERROR_BAD_PARAMETERS'],
    ['bls without images', { method: 'bls' }, 'ERROR_UPLOAD'],
    ['base64 without body', { method: 'base64' }, 'ERROR_UPLOAD'],
    ['base64 with an empty body', { method: 'base64', body: '' }, 'ERROR_ZERO_CAPTCHA_FILESIZE'],
    ['base64 that is not base64', { method: 'base64', body: '!!!notbase64***' }, 'ERROR_UPLOAD'],
    [
      'base64 under 100 bytes',
      { method: 'base64', body: Buffer.alloc(99).toString('base64') },
      'ERROR_ZERO_CAPTCHA_FILESIZE',
    ],
    [
      'base64 over 100 kB',
      { method: 'base64', body: Buffer.alloc(102_401).toString('base64') },
      'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
    ],
    ['post without a file', { method: 'post' }, 'ERROR_UPLOAD'],
    [
      'post with an empty file',
      { method: 'post' },
      'ERROR_ZERO_CAPTCHA_FILESIZE',
      file(new Uint8Array(0)),
    ],
    ['post with a .bmp file', { method: 'post' }, 'ERROR_WRONG_FILE_EXTENSION', file(IMG, 'c.bmp')],
    [
      'post with a tiny file',
      { method: 'post' },
      'ERROR_ZERO_CAPTCHA_FILESIZE',
      file(new Uint8Array(50)),
    ],
  ];
  for (const [name, params, code, upload] of cases) {
    it(`${name} → ${code}`, async () => {
      const { submit, sim } = setup();
      assert.equal(await submit(params, upload), code);
      assert.equal(sim.stats().acceptedSubmits, 0);
    });
  }

  it('accepts both documented image limits (100 B / 100 kB and 1 KB / 1 MB)', async () => {
    const { submit } = setup({ imageMinBytes: 1024, imageMaxBytes: 1024 * 1024 });
    assert.equal(
      await submit({ method: 'base64', body: Buffer.alloc(500).toString('base64') }),
      'ERROR_ZERO_CAPTCHA_FILESIZE',
    );
    assert.match(
      await submit({ method: 'base64', body: Buffer.alloc(500_000).toString('base64') }),
      /^OK\|/,
    );
  });

  it('checks image magic bytes when asked', async () => {
    const { submit } = setup({ checkImageType: true });
    assert.equal(await submit({ method: 'post' }, file(IMG)), 'ERROR_IMAGE_TYPE_NOT_SUPPORTED');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), IMG]);
    assert.match(await submit({ method: 'post' }, file(png)), /^OK\|/);
  });

  it('ignores unknown extra parameters', async () => {
    const { submit } = setup();
    assert.match(
      await submit({ method: 'turnstile', sitekey: 's', pageurl: URL_, frobnicate: '1' }),
      /^OK\|/,
    );
  });
});
