// HTTP 429 in each Retry-After form against a server whose clock is not the client's: whole runs
// against the in-process simulator on a virtual clock, deterministic for their seeds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecaptchaV2Task } from '../src/index.js';
import type { SimulatorOptions } from '../src/simulator/index.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';
import { virtualSolver } from './helpers/virtual-solver.js';

async function run(sim: Partial<SimulatorOptions>) {
  const { clock, simulator, client } = virtualSolver(
    { sim: 5, solver: 9 },
    { requestsPerSecond: 1, batchPoll: true, ...sim },
  );
  const waits: number[] = [];
  client.on('throttled', (event) => {
    if (event.retryAfterMs !== undefined) waits.push(event.retryAfterMs);
  });
  const tasks = Array.from({ length: 60 }, (): RecaptchaV2Task => ({
    method: 'userrecaptcha',
    googlekey: GOOGLEKEY,
    pageurl: PAGE,
  }));
  let solved = 0;
  await clock.runUntil(
    (async () => {
      for await (const item of client.solveMany(tasks)) if (item.ok) solved++;
    })(),
  );
  await client.close();
  const stats = simulator.stats();
  return { waits, solved, http429: stats.http429, requests: stats.requests };
}

describe('Retry-After as seconds and as an HTTP date, the server clock skewed', () => {
  test("a date is read against the server's Date: 5 s ahead, the client does not wait 5 s more", async () => {
    const ahead = await run({ retryAfter: 'http-date', clockSkewMs: 5_000 });
    assert.equal(ahead.solved, 60);
    assert.ok(ahead.waits.length > 0, 'the run drew 429s with a Retry-After');
    // The simulator's wait rounds up to whole seconds; the Date header drops its fraction.
    assert.ok(
      ahead.waits.every((ms) => ms >= 1_000 && ms <= 3_000),
      `waits ${ahead.waits.join(', ')} ms`,
    );
  });

  test('5 s behind, a date does not read "now": no retry into a shut window', async () => {
    const seconds = await run({ retryAfter: 'seconds' });
    const behind = await run({ retryAfter: 'http-date', clockSkewMs: -5_000 });
    assert.equal(behind.solved, 60);
    assert.ok(
      behind.waits.every((ms) => ms >= 1_000),
      `waits ${behind.waits.join(', ')} ms`,
    );
    assert.ok(
      behind.http429 <= seconds.http429 + 2,
      `429s: ${behind.http429} with dates, ${seconds.http429} with seconds`,
    );
  });
});
