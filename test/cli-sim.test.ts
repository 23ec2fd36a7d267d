// `captchaai sim` as a child process that other CLI children talk to, `--sim` (the embedded
// simulator), and the help and version output.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Simulator } from '../src/simulator/index.js';
import { ChildOutput, inParallel, runCli, spawnCli } from './helpers/cli.js';
import { FAST, GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import { makePng } from './helpers/png.js';
import { assertNoKeyLeak, SECRET_KEY } from './helpers/simulator.js';

/** Answers depend only on the task (and the profile), so any simulator can predict them. */
const oracle = new Simulator({ defaultAccount: null });

// At most three CLI children start at once: each compiles through tsx, and eight together on two
// cores printed nothing for 15 s under a loaded suite.
describe('captchaai sim and --sim', { concurrency: 3 }, () => {
  test('captchaai sim: prints its URL and key, serves solve/balance/threads, stops on SIGINT with exit 0', async () => {
    const sim = spawnCli([
      'sim',
      '--threads',
      '4',
      '--time-scale',
      '0.01',
      '--unsolvable-rate',
      '0',
      '--seed',
      '7',
      '--clock-skew-ms',
      '-3600000',
    ]);
    const output = new ChildOutput(sim);
    try {
      const listening = /captchaai simulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/;
      const url = (await output.waitFor(listening))[1] ?? '';
      const key = (await output.waitFor(/key: ([0-9a-f]{32})\n/))[1] ?? '';
      const exported = await output.waitFor(
        /export CAPTCHAAI_BASE_URL=(\S+) CAPTCHAAI_KEY=(\S+)\n/,
      );
      assert.deepEqual(exported.slice(1), [url, key]);
      const task = { method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl: PAGE };
      const [solve, threads, balance, fromExport] = await Promise.all([
        runCli(
          [
            'solve',
            '--method',
            'userrecaptcha',
            '--googlekey',
            GOOGLEKEY,
            '--pageurl',
            PAGE,
            '--base-url',
            url,
            ...FAST,
          ],
          { env: { CAPTCHAAI_KEY: key } },
        ),
        runCli(['threads', '--base-url', url, '--key', key]),
        runCli(['balance', '--base-url', url, '--key', key]),
        // The export line alone points a client at the simulator.
        runCli(['balance'], { env: { CAPTCHAAI_BASE_URL: url, CAPTCHAAI_KEY: key } }),
      ]);
      assert.equal(fromExport.code, 0, fromExport.stderr);
      assert.equal(fromExport.stdout, '10\n');
      assert.equal(solve.code, 0, solve.stderr);
      assert.equal(solve.stdout.trim(), oracle.expectedAnswer(task));
      assert.equal(threads.code, 0, threads.stderr);
      assert.match(threads.stdout, /^threads: 4, working: \d, free: \d\n$/);
      assert.equal(balance.code, 0, balance.stderr);
      assert.equal(balance.stdout, '10\n');
      // --clock-skew-ms: the service's Date header runs an hour behind this machine's clock.
      const dated = await fetch(`${url}/res.php?key=${key}&action=getbalance`);
      const behindMs = Date.now() - Date.parse(dated.headers.get('date') ?? '');
      assert.ok(behindMs > 3_590_000 && behindMs < 3_610_000, `Date is ${behindMs} ms behind`);
    } finally {
      sim.kill('SIGINT');
    }
    assert.equal(await output.exit(), 0, output.stderr);
    assert.match(output.stderr, /simulator stopped \(SIGINT\)/);
  });

  test('captchaai sim --key: the given key is registered but never printed; SIGTERM stops it', async () => {
    const sim = spawnCli([
      'sim',
      '--key',
      SECRET_KEY,
      '--profile',
      '2captcha',
      '--time-scale',
      '0.01',
      '--unsolvable-rate',
      '0',
    ]);
    const output = new ChildOutput(sim);
    try {
      const url = (await output.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/))[1] ?? '';
      assert.match((await output.waitFor(/key: (.*)\n/))[1] ?? '', /given with --key/);
      // The export line names the URL only: a key given with --key is never printed.
      assert.equal((await output.waitFor(/(export .*)\n/))[1], `export CAPTCHAAI_BASE_URL=${url}`);
      const task = {
        method: 'hcaptcha',
        sitekey: '10000000-ffff-ffff-ffff-000000000001',
        pageurl: PAGE,
      };
      const solve = await runCli(
        [
          'solve',
          '--profile',
          '2captcha',
          '--json',
          '--method',
          'hcaptcha',
          '--sitekey',
          task.sitekey,
          '--pageurl',
          PAGE,
          '--base-url',
          url,
          ...FAST,
        ],
        {
          env: { CAPTCHAAI_KEY: SECRET_KEY },
        },
      );
      assertNoKeyLeak(solve);
      assert.equal(solve.code, 0, solve.stderr);
      const twoCaptcha = new Simulator({ profile: '2captcha', defaultAccount: null });
      assert.equal(
        (JSON.parse(solve.stdout) as { solution: unknown }).solution,
        twoCaptcha.expectedAnswer(task),
      );
    } finally {
      sim.kill('SIGTERM');
    }
    const code = await output.exit();
    assert.equal(code, 0, output.stderr);
    assertNoKeyLeak({ code, signal: null, stdout: output.stdout, stderr: output.stderr }, 'sim');
  });

  test('captchaai sim --type-cap/--outage: platform refusals with their own code, per-type stats over HTTP', async () => {
    const sim = spawnCli([
      'sim',
      '--threads',
      '4',
      '--slot-release',
      'collect',
      '--type-cap',
      'image=2',
      '--outage',
      'turnstile:0-600',
      '--platform-code',
      'ERROR_NO_SLOT_AVAILABLE',
    ]);
    const output = new ChildOutput(sim);
    try {
      const url = (await output.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/))[1] ?? '';
      const key = (await output.waitFor(/key: ([0-9a-f]{32})\n/))[1] ?? '';
      await output.waitFor(/platform: type caps image=2; turnstile out 0-600 s/, 15_000, 'stderr');
      // Threads are held until collected (--slot-release collect): the counts below are exact.
      const submit = async (params: Record<string, string>): Promise<string> => {
        const body = new URLSearchParams({ key, ...params });
        return (await fetch(`${url}/in.php`, { method: 'POST', body })).text();
      };
      const image = (n: number) => ({
        method: 'base64',
        body: makePng(24, 12, n).toString('base64'),
      });
      const recaptcha = { method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl: PAGE };
      const turnstile = { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl: PAGE };
      const answers: string[] = [];
      for (const params of [
        image(1),
        image(2),
        image(3),
        turnstile,
        recaptcha,
        recaptcha,
        recaptcha,
      ])
        answers.push(await submit(params));
      assert.deepEqual(
        answers.map((a) => a.replace(/^OK\|\d+$/, 'OK')),
        [
          'OK',
          'OK',
          'ERROR_NO_SLOT_AVAILABLE', // the platform's image cap (2)
          'ERROR_NO_SLOT_AVAILABLE', // turnstile's outage
          'OK',
          'OK', // the account's 4th thread
          'ERROR_ZERO_BALANCE', // the account's threads, with the account's code
        ],
      );
      const stats = (await (await fetch(`${url}/__sim/stats`)).json()) as {
        accounts: Record<
          string,
          { capacityRejections: number; platformRejections: number; byType: unknown }
        >;
        platform: { utcHour: number | null; byType: unknown };
      };
      const account = Object.values(stats.accounts)[0];
      assert.equal(account?.capacityRejections, 3);
      assert.equal(account?.platformRejections, 2);
      const type = (
        accepted: number,
        refusedAccount: number,
        refusedPlatform: number,
        inUse: number,
      ) => ({
        accepted,
        refusedAccount,
        refusedPlatform,
        inUse,
        maxInUse: inUse,
      });
      const byType = account?.byType as Record<string, Record<string, number>>;
      for (const entry of Object.values(byType)) assert.ok((entry.slotMs ?? -1) >= 0);
      const withoutSlotMs = Object.fromEntries(
        Object.entries(byType).map(([name, { slotMs: _, ...rest }]) => [name, rest]),
      );
      assert.deepEqual(withoutSlotMs, {
        image: type(2, 0, 1, 2),
        turnstile: type(0, 0, 1, 0),
        recaptchaV2: type(2, 1, 0, 2),
      });
      assert.deepEqual(stats.platform, {
        utcHour: null,
        byType: {
          image: { inUse: 2, capacity: 2 },
          recaptchaV2: { inUse: 2, capacity: null },
          turnstile: { inUse: 0, capacity: 0 },
        },
      });
    } finally {
      sim.kill('SIGINT');
    }
    assert.equal(await output.exit(), 0, output.stderr);
  });

  test('captchaai sim with a bad flag value exits 2 naming the flag', async () => {
    const runs = await inParallel(4, [
      () => runCli(['sim', '--fault-502', '1.5']),
      () => runCli(['sim', '--key', 'short']),
      () => runCli(['sim', '--slot-release', 'never']),
      () => runCli(['sim', '--type-cap', 'captcha=3']),
      () => runCli(['sim', '--type-cap', 'image=-1']),
      () => runCli(['sim', '--outage', 'image:90-10']),
      () => runCli(['sim', '--outage', 'image']),
      () => runCli(['sim', '--day-curve', 'image=x']),
      () => runCli(['sim', '--day-curve', '--start-hour', '24']),
      () => runCli(['sim', '--day-curve', '--hour-factors', '1,1']),
      () => runCli(['sim', '--bursts', '3']),
      () => runCli(['sim', '--platform-code', 'ERROR_BUSY']),
      () => runCli(['sim', '--clock-skew-ms', 'soon']),
    ]);
    const flags = [
      '--fault-502',
      '--key',
      '--slot-release',
      '--type-cap',
      '--type-cap',
      '--outage',
      '--outage',
      '--day-curve',
      '--start-hour',
      '--hour-factors',
      '--bursts',
      '--platform-code',
      '--clock-skew-ms',
    ];
    runs.forEach((run, i) => {
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^error: [A-Z_]+: .*${flags[i] ?? ''}`));
    });
  });

  test('solve --sim needs no key, says so on stderr, and returns the simulator answer', async () => {
    const task = { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl: PAGE };
    // The documented 15 s first poll and a ~12 s solve, at the default x20: about a second.
    const run = await runCli([
      'solve',
      '--sim',
      '--method',
      'turnstile',
      '--sitekey',
      task.sitekey,
      '--pageurl',
      PAGE,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), oracle.expectedAnswer(task));
    assert.match(run.stderr, /using the embedded simulator \(no API key needed; time x20\)/);
  });

  test('Ctrl-C during a solve: exit 130 with one error line', async () => {
    // Real time (x1): the documented 15 s first poll keeps the task pending while we interrupt.
    const child = spawnCli([
      'solve',
      '--sim',
      '--sim-speed',
      '1',
      '--method',
      'turnstile',
      '--sitekey',
      's',
      '--pageurl',
      PAGE,
    ]);
    const output = new ChildOutput(child);
    child.stdin.end();
    await output.waitFor(/submitted turnstile task \d+/, 15_000, 'stderr');
    child.kill('SIGINT');
    assert.equal(await output.exit(), 130, output.stderr);
    assert.equal(output.stdout, '');
    assert.match(output.stderr, /^error: ABORTED: interrupted by SIGINT$/m);
  });

  test('--sim ignores a CAPTCHAAI_KEY from the environment, and works for balance and threads', async () => {
    const [balance, threads] = await Promise.all([
      runCli(['balance', '--sim'], { env: { CAPTCHAAI_KEY: SECRET_KEY } }),
      runCli(['threads', '--sim', '--sim-speed', '50'], { env: { CAPTCHAAI_KEY: SECRET_KEY } }),
    ]);
    assertNoKeyLeak(balance);
    assertNoKeyLeak(threads);
    assert.equal(balance.code, 0, balance.stderr);
    assert.equal(balance.stdout, '10\n');
    assert.equal(threads.code, 0, threads.stderr);
    assert.match(threads.stdout, /^threads: 10, working: 0, free: 10\n$/);
    assert.match(threads.stderr, /time x50/);
  });

  test('--help on every command, and --version', async () => {
    const commands = ['solve', 'balance', 'threads', 'report', 'sim'];
    const simHelpFlags = [
      '--type-cap <TYPE=N>',
      '--outage <TYPE:FROM-TO>',
      '--day-curve [TYPE=WORKERS,...]',
      '--hour-factors',
      '--start-hour <h>',
      '--bursts [per-hour]',
      '--platform-code <code>',
    ];
    const runs = await inParallel(4, [
      ...commands.map((c) => () => runCli([c, '--help'])),
      () => runCli(['--help']),
      () => runCli(['--version']),
    ]);
    commands.forEach((command, i) => {
      const run = runs[i];
      assert.equal(run?.code, 0, run?.stderr);
      assert.match(run?.stdout ?? '', new RegExp(`^Usage: captchaai ${command}`));
    });
    const simHelp = runs[4]?.stdout ?? '';
    for (const flag of simHelpFlags) assert.ok(simHelp.includes(flag), `sim --help lacks ${flag}`);
    assert.doesNotMatch(simHelp, /preset/);
    const solveHelp = runs[0]?.stdout ?? '';
    for (const flag of [
      '--key',
      '--base-url',
      '--profile',
      '--sim',
      '--sim-speed',
      '--json',
      '--timeout',
      '--poll-interval',
      '--first-poll-delay',
      '--file',
    ]) {
      assert.ok(solveHelp.includes(flag), `solve --help lacks ${flag}`);
    }
    assert.match(
      runs[5]?.stdout ?? '',
      /Commands:[\s\S]*solve[\s\S]*balance[\s\S]*threads[\s\S]*report[\s\S]*sim/,
    );
    assert.match(runs[6]?.stdout ?? '', /^\d+\.\d+\.\d+\n$/);
  });
});
