// `captchaai solve` through what the real service does on a bad day: injected transport faults,
// no free thread, unsolvable tasks, slow solves.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { inParallel, runCli, spawnCli, type CliRun } from './helpers/cli.js';
import { FAST, GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import {
  assertNoKeyLeak,
  SECRET_KEY,
  startTestSimulator,
  submitDirect,
} from './helpers/simulator.js';

const ENV = { CAPTCHAAI_KEY: SECRET_KEY };

describe('captchaai solve under adverse conditions', { concurrency: true }, () => {
  test('injected faults (HTML 502, truncated JSON, resets before processing) do not fail the solve', async () => {
    // One simulator per solve, so each sees the whole fault stream from its first request.
    const tasks = [
      { method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl: PAGE },
      { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl: PAGE },
      { method: 'hcaptcha', sitekey: '10000000-ffff-ffff-ffff-000000000001', pageurl: PAGE },
    ];
    const runs = await inParallel(
      3,
      tasks.map((task, i) => async () => {
        const target = await startTestSimulator({
          seed: 100 + i,
          faults: { html502: 0.15, truncatedJson: 0.1, reset: 0.05, afterProcessing: 0 },
        });
        try {
          const args = Object.entries(task).flatMap(([k, v]) => [`--${k}`, v]);
          // About a third of the requests fail; 10 attempts make a submit that never gets through
          // vanishingly rare (0.3^10). At half, the retries' backoff alone took 30-50 s per solve,
          // past the test's bound on a loaded machine.
          const run = await runCli(
            ['solve', ...args, '--base-url', target.url, '--max-attempts', '10', ...FAST],
            { env: ENV, timeoutMs: 40_000 },
          );
          const stats = target.sim.stats(SECRET_KEY);
          const faults =
            stats.faults.html502 + stats.faults.truncatedJson + stats.faults.resetBefore;
          return { run, expected: target.sim.expectedAnswer(task), faults };
        } finally {
          await target.close();
        }
      }),
    );
    for (const { run, expected } of runs) {
      assertNoKeyLeak(run);
      assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
      assert.equal(run.stdout.trim(), expected);
    }
    assert.ok(runs.reduce((sum, r) => sum + r.faults, 0) > 0, 'no fault was injected');
    assert.ok(
      runs.some((r) => /failed \(/.test(r.run.stderr)),
      'no retry was reported on stderr',
    );
  });

  test('a capacity-limited account: the CLI waits for the thread and succeeds', async () => {
    // slotRelease 'collect': the held slot frees only when its answer is fetched, so the test
    // decides when, and the CLI is certain to meet a full account first.
    const target = await startTestSimulator({ slotRelease: 'collect' }, { threads: 1 });
    try {
      const heldId = await submitDirect(target.sim, SECRET_KEY, {
        method: 'turnstile',
        sitekey: 'held',
        pageurl: PAGE,
      });
      const task = { method: 'turnstile', sitekey: 'waiting', pageurl: PAGE };
      const child = spawnCli(
        [
          'solve',
          '--method',
          'turnstile',
          '--sitekey',
          'waiting',
          '--pageurl',
          PAGE,
          '--base-url',
          target.url,
          ...FAST,
        ],
        { env: ENV },
      );
      let exited = false;
      const done = collect(child).finally(() => (exited = true));
      // Generous: a loaded machine can take seconds just to start node and tsx.
      const deadline = Date.now() + 20_000;
      while (
        target.sim.stats(SECRET_KEY).capacityRejections === 0 &&
        !exited &&
        Date.now() < deadline
      ) {
        await sleep(25);
      }
      assert.ok(
        target.sim.stats(SECRET_KEY).capacityRejections > 0,
        `the CLI was never refused a thread: ${exited ? (await done).stderr : 'still running'}`,
      );
      // Collect the held task's answer, which frees the only thread.
      for (let i = 0; i < 200; i++) {
        const response = await target.sim.handle({
          endpoint: 'res.php',
          httpMethod: 'GET',
          params: { key: SECRET_KEY, action: 'get', id: heldId, json: '1' },
        });
        if ((JSON.parse(response.body) as { status: number }).status === 1) break;
        await sleep(25);
      }
      const run = await done;
      assertNoKeyLeak(run);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), target.sim.expectedAnswer(task));
      assert.match(run.stderr, /no free thread \(ERROR_ZERO_BALANCE\)/);
    } finally {
      await target.close();
    }
  });

  test('an unsolvable task exits 1 with the service code', async () => {
    const target = await startTestSimulator({ unsolvableRate: 1 });
    try {
      const run = await runCli(
        [
          'solve',
          '--method',
          'turnstile',
          '--sitekey',
          's',
          '--pageurl',
          PAGE,
          '--base-url',
          target.url,
          ...FAST,
        ],
        { env: ENV },
      );
      assertNoKeyLeak(run);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^error: ERROR_CAPTCHA_UNSOLVABLE: /m);
    } finally {
      await target.close();
    }
  });

  test('--timeout exits 1 with TIMEOUT when the answer is late', async () => {
    const target = await startTestSimulator({ timeScale: 1 });
    try {
      const run = await runCli(
        [
          'solve',
          '--method',
          'userrecaptcha',
          '--googlekey',
          GOOGLEKEY,
          '--pageurl',
          PAGE,
          '--timeout',
          '1000',
          '--base-url',
          target.url,
          '--json',
          ...FAST,
        ],
        { env: ENV },
      );
      assertNoKeyLeak(run);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^error: TIMEOUT: Not solved within 1000 ms/m);
    } finally {
      await target.close();
    }
  });
});

function collect(child: ReturnType<typeof spawnCli>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end();
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}
