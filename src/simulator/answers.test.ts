import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { file, GK, IMG, PROXY, setup, URL_ } from './fixtures.test-helper.js';

describe('simulator answers', () => {
  it('derives image answers from the bytes, the same for post and base64', async () => {
    const { solve, sim } = setup();
    const a = await solve({ method: 'post' }, file(IMG, 'c.JPG'));
    const b = await solve({ method: 'base64', body: IMG.toString('base64'), numeric: '1' });
    assert.equal(a.request, sim.expectedAnswer({ method: 'post' }, IMG));
    assert.match(a.request as string, /^[a-z0-9]{6}$/);
    assert.match(b.request as string, /^\d{6}$/);
  });

  it('answers grid tasks with click cells', async () => {
    const { solve } = setup();
    const a = await solve({ method: 'base64', body: IMG.toString('base64'), recaptcha: '1' });
    assert.match(a.request as string, /^click:\d(\/\d)*$/);
  });

  it('answers tokens as "03A" + hash(googlekey, pageurl), with cookies when json_cookies is sent', async () => {
    const { solve, sim } = setup();
    const cookies = '[{"domain":".e.com","name":"a","value":"b","secure":true}]';
    const params = { method: 'userrecaptcha', googlekey: GK, pageurl: URL_, json_cookies: cookies };
    const res = await solve(params);
    assert.equal(res.request, sim.expectedAnswer(params));
    assert.match(res.request as string, /^03A[0-9a-f]{64}$/);
    assert.deepEqual(res.cookies, JSON.parse(cookies));
  });

  it("answers cloudflare_challenge with the cf_clearance value and the task's user_agent", async () => {
    const { solve, text } = setup();
    const params = {
      method: 'cloudflare_challenge',
      pageurl: URL_,
      userAgent: 'MyUA/1.0',
      ...PROXY,
    };
    const res = await solve(params);
    assert.equal(res.user_agent, 'MyUA/1.0');
    assert.match(await text(params), /^OK\|[0-9a-f]{43}-/);
  });

  it('answers geetest with an object in JSON and challenge:..,validate:..,seccode:.. in text', async () => {
    const { solve, text, sim } = setup();
    const params = { method: 'geetest', gt: 'gt1', challenge: 'ch1', pageurl: URL_ };
    const res = await solve(params);
    const obj = sim.expectedAnswer(params) as Record<string, string>;
    assert.deepEqual(res.request, obj);
    assert.equal(obj.geetest_challenge, 'ch1');
    assert.equal(
      await text(params),
      `OK|challenge:ch1,validate:${obj.geetest_validate},seccode:${obj.geetest_seccode}`,
    );
    const v4 = await solve({ method: 'geetest', version: '4', gt: 'cid', pageurl: URL_ });
    assert.equal((v4.request as Record<string, string>).captcha_id, 'cid');
  });

  it('answers lemin with {answer, challenge_uuid}', async () => {
    const { solve } = setup();
    const res = await solve({ method: 'lemin', captcha_id: 'CROPPED_1', pageurl: URL_ });
    assert.deepEqual(Object.keys(res.request as object), ['answer', 'challenge_uuid']);
  });

  it('adds useragent to turnstile and hcaptcha answers in the 2captcha profile only', async () => {
    const params = { method: 'turnstile', sitekey: 's', pageurl: URL_, userAgent: 'UA2' };
    assert.equal((await setup().solve(params)).useragent, undefined);
    assert.equal((await setup({ profile: '2captcha' }).solve(params)).useragent, 'UA2');
    const h = await setup({ profile: '2captcha' }).solve({
      method: 'hcaptcha',
      sitekey: 's',
      pageurl: URL_,
    });
    assert.equal(typeof h.useragent, 'string');
  });

  it('throws from expectedAnswer for an invalid task', () => {
    const { sim } = setup();
    assert.throws(() => sim.expectedAnswer({ method: 'turnstile' }), /ERROR_BAD_PARAMETERS/);
  });
});
