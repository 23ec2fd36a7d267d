// Usage errors (exit 2, nothing sent) and account errors (exit 3), each a real child process
// talking HTTP to a simulator (or a request counter) on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inParallel, runCli } from './helpers/cli.js';
import { PAGE } from './helpers/fixtures.js';
import {
  assertNoKeyLeak,
  MALFORMED_KEY,
  SECRET_KEY,
  startCountingServer,
  startTestSimulator,
  UNKNOWN_KEY,
  type TestSimulator,
} from './helpers/simulator.js';

const ENV = { CAPTCHAAI_KEY: SECRET_KEY };

// The suites run side by side: the children spend most of their time starting up.
describe('captchaai commands', { concurrency: true }, () => {
  describe('usage errors: exit 2, nothing sent', { concurrency: true }, () => {
    let target: TestSimulator;
    let counter: Awaited<ReturnType<typeof startCountingServer>>;
    before(async () => {
      [target, counter] = await Promise.all([startTestSimulator(), startCountingServer()]);
    });
    after(async () => {
      // Checked once every test here has run: not one request reached either server.
      assert.equal(target.sim.stats(SECRET_KEY).requests, 0);
      assert.equal(counter.count(), 0);
      await Promise.all([target.close(), counter.close()]);
    });

    test('a missing --googlekey names googlekey', async () => {
      const run = await runCli(
        ['solve', '--method', 'userrecaptcha', '--pageurl', PAGE, '--base-url', target.url],
        { env: ENV },
      );
      assertNoKeyLeak(run);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: INVALID_TASK: .*googlekey/);
      assert.equal(run.stderr.trim().split('\n').length, 1, 'one error line');
      assert.equal(run.stdout, '');
    });

    test('no key and no --sim names --key and CAPTCHAAI_KEY', async () => {
      const run = await runCli([
        'solve',
        '--method',
        'turnstile',
        '--sitekey',
        's',
        '--pageurl',
        PAGE,
        '--base-url',
        counter.url,
      ]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: USAGE: .*--key.*CAPTCHAAI_KEY/);
    });

    test('no key for balance, threads and report either', async () => {
      const commands = [['balance'], ['threads'], ['report', 'good', '123']];
      const runs = await inParallel(
        3,
        commands.map((args) => () => runCli([...args, '--base-url', counter.url])),
      );
      runs.forEach((run, i) => {
        assert.equal(run.code, 2, `${commands[i]?.[0]}: ${run.stderr}`);
        assert.match(run.stderr, /--key/);
      });
    });

    test('an unknown profile names --profile', async () => {
      const run = await runCli(
        [
          'solve',
          '--profile',
          'anticaptcha',
          '--method',
          'turnstile',
          '--sitekey',
          's',
          '--pageurl',
          PAGE,
          '--base-url',
          counter.url,
        ],
        { env: ENV },
      );
      assertNoKeyLeak(run);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: USAGE: .*--profile/);
    });

    test('bad flag values name the flag', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['solve', '--method', 'turnstile', '--timeout', 'soon'], /--timeout/],
        [['solve', '--method', 'turnstile', '--poll-interval', '0'], /--poll-interval/],
        [['solve', '--method', 'post', '--file', '/nonexistent/captcha.png'], /--file/],
        [['solve', '--base-url', 'ftp://example.com', '--method', 'turnstile'], /--base-url/],
        [['report', 'great', '123'], /verdict/],
        [['report', 'good', '12x'], /id/],
        [['balance', '--no-such-flag'], /--no-such-flag/],
        [['bogus'], /bogus/],
      ];
      const runs = await inParallel(
        4,
        cases.map(
          ([args]) =>
            () =>
              runCli(args.includes('--base-url') ? args : [...args, '--base-url', counter.url], {
                env: ENV,
              }),
        ),
      );
      for (const [i, [args, pattern]] of cases.entries()) {
        const run = runs[i];
        assert.ok(run);
        assertNoKeyLeak(run, args.join(' '));
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /^error: [A-Z_]+: /);
        assert.match(run.stderr, pattern);
      }
    });
  });

  describe('account errors: exit 3', { concurrency: true }, () => {
    test('an unknown well-formed key, a malformed key, a banned IP', async () => {
      const target = await startTestSimulator({ badKeyBanThreshold: 2 });
      try {
        const solve = [
          'solve',
          '--method',
          'turnstile',
          '--sitekey',
          's',
          '--pageurl',
          PAGE,
          '--base-url',
          target.url,
        ];
        const unknown = await runCli([...solve, '--key', UNKNOWN_KEY]);
        assertNoKeyLeak(unknown, 'unknown key');
        assert.equal(unknown.code, 3, unknown.stderr);
        assert.match(unknown.stderr, /^error: ERROR_KEY_DOES_NOT_EXIST: /m);
        const malformed = await runCli([...solve, '--json'], {
          env: { CAPTCHAAI_KEY: MALFORMED_KEY },
        });
        assertNoKeyLeak(malformed, 'malformed key');
        assert.equal(malformed.code, 3, malformed.stderr);
        assert.match(malformed.stderr, /^error: ERROR_WRONG_USER_KEY: /m);
        // Two bad keys from this IP: now even the good key is refused until the ban lifts.
        const banned = await runCli(['balance', '--base-url', target.url], { env: ENV });
        assertNoKeyLeak(banned, 'banned');
        assert.equal(banned.code, 3, banned.stderr);
        assert.match(banned.stderr, /^error: IP_BANNED: /m);
      } finally {
        await target.close();
      }
    });

    test('2captcha: ERROR_ZERO_BALANCE (no money) is an account error there', async () => {
      const target = await startTestSimulator(
        { profile: '2captcha', pricePerSolve: 1 },
        { balance: 0 },
      );
      try {
        const run = await runCli(
          [
            'solve',
            '--profile',
            '2captcha',
            '--method',
            'turnstile',
            '--sitekey',
            's',
            '--pageurl',
            PAGE,
            '--base-url',
            target.url,
          ],
          { env: ENV },
        );
        assertNoKeyLeak(run);
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, /ERROR_ZERO_BALANCE/);
      } finally {
        await target.close();
      }
    });
  });
});
