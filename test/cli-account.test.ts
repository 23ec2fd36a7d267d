// The account commands (balance, threads, report), each a real child process talking HTTP to a
// simulator on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import {
  assertNoKeyLeak,
  SECRET_KEY,
  startTestSimulator,
  submitDirect,
  type TestSimulator,
} from './helpers/simulator.js';

const ENV = { CAPTCHAAI_KEY: SECRET_KEY };

// One after another: the report test submits tasks that the threads test would otherwise count.
describe('balance, threads, report', () => {
  let captchaai: TestSimulator;
  let twocaptcha: TestSimulator;
  let noThreadsInfo: TestSimulator;
  before(async () => {
    [captchaai, twocaptcha, noThreadsInfo] = await Promise.all([
      startTestSimulator({}, { threads: 7, balance: 12.5 }),
      startTestSimulator({ profile: '2captcha' }, { threads: 3 }),
      startTestSimulator({ threadsInfo: false }),
    ]);
  });
  after(async () => {
    await Promise.all([captchaai.close(), twocaptcha.close(), noThreadsInfo.close()]);
  });

  test('balance prints the number alone on stdout', async () => {
    const run = await runCli(['balance', '--base-url', captchaai.url], { env: ENV });
    assertNoKeyLeak(run);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '12.5\n');
  });

  test('threads, where the service answers threadsinfo', async () => {
    await submitDirect(captchaai.sim, SECRET_KEY, {
      method: 'userrecaptcha',
      googlekey: GOOGLEKEY,
      pageurl: 'https://threads.example/',
    });
    const run = await runCli(['threads', '--base-url', captchaai.url], { env: ENV });
    assertNoKeyLeak(run);
    assert.equal(run.code, 0, run.stderr);
    const busy = captchaai.sim.stats(SECRET_KEY).slotsInUse;
    assert.equal(run.stdout, `threads: 7, working: ${busy}, free: ${7 - busy}\n`);
    const json = await runCli(
      ['threads', '--json', '--base-url', twocaptcha.url, '--profile', '2captcha'],
      { env: ENV },
    );
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { threads: 3, working: 0, free: 3 });
  });

  test('threads, where the service does not answer threadsinfo: exit 1 and a clear message', async () => {
    const run = await runCli(['threads', '--base-url', noThreadsInfo.url], { env: ENV });
    assertNoKeyLeak(run);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^error: THREADS_UNSUPPORTED: .*threadsinfo/);
  });

  test('report good|bad: an empty answer (captchaai) and OK_REPORT_RECORDED (2captcha)', async () => {
    for (const [target, profile] of [
      [captchaai, 'captchaai'],
      [twocaptcha, '2captcha'],
    ] as const) {
      const id = await submitDirect(target.sim, SECRET_KEY, {
        method: 'turnstile',
        sitekey: 'r',
        pageurl: PAGE,
      });
      for (const verdict of ['good', 'bad'] as const) {
        const run = await runCli(
          ['report', verdict, id, '--base-url', target.url, '--profile', profile],
          { env: ENV },
        );
        assertNoKeyLeak(run);
        assert.equal(run.code, 0, `${profile} ${verdict}: ${run.stderr}`);
        assert.match(run.stderr, new RegExp(`reported task ${id} as ${verdict}`));
      }
      const stats = target.sim.stats(SECRET_KEY);
      assert.equal(stats.reportsGood, 1);
      assert.equal(stats.reportsBad, 1);
    }
    // The two answer forms the CLI just accepted, as the simulators send them in JSON mode.
    for (const [target, expected] of [
      [captchaai, ''],
      [twocaptcha, '{"status":1,"request":"OK_REPORT_RECORDED"}'],
    ] as const) {
      const id = await submitDirect(target.sim, SECRET_KEY, {
        method: 'turnstile',
        sitekey: 'raw',
        pageurl: PAGE,
      });
      const raw = await target.sim.handle({
        endpoint: 'res.php',
        httpMethod: 'GET',
        params: { key: SECRET_KEY, action: 'reportbad', id, json: '1' },
      });
      assert.equal(raw.body, expected);
    }
  });
});
