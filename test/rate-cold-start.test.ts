// A cold start against a low request-rate limit: the solver knows its 50 threads at once, so
// without pacing it sends 50 submits in the same millisecond and all but the server's bucket are
// answered 429. With a network delay (here 10 ms each way, on the virtual clock) none of those
// answers is back before the last submit leaves, which is what a real client meets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TurnstileTask } from '../src/index.js';
import { Simulator } from '../src/simulator/index.js';
import { Solver } from '../src/solver/solver.js';
import type { Transport } from '../src/transport/types.js';
import { ManualClock } from '../src/time/manual-clock.js';
import { seededRandom } from '../src/time/random.js';
import { PAGE } from './helpers/fixtures.js';
import { VIRTUAL_START } from './helpers/virtual-solver.js';

const ONE_WAY_MS = 10;

function delayed(inner: Transport, clock: ManualClock): Transport {
  return {
    async send(request, options) {
      await clock.sleep(ONE_WAY_MS);
      const response = await inner.send(request, options);
      await clock.sleep(ONE_WAY_MS);
      return response;
    },
  };
}

for (const retryAfter of ['none', 'seconds'] as const) {
  test(`50 threads against 2 requests/s (Retry-After: ${retryAfter}): a handful of 429s at the start, not one per thread`, async () => {
    const clock = new ManualClock(VIRTUAL_START);
    const sim = new Simulator(
      {
        defaultAccount: { threads: 50 },
        requestsPerSecond: 2,
        retryAfter,
        unsolvableRate: 0,
        solveTime: { kind: 'lognormal', meanMs: 20_000, sigma: 0.5 },
        seed: 3,
      },
      { clock },
    );
    const solver = new Solver({
      key: sim.defaultKey,
      transport: delayed(sim.transport(), clock),
      clock,
      random: seededRandom(3),
    });
    const tasks: TurnstileTask[] = Array.from({ length: 100 }, (_, i) => ({
      method: 'turnstile',
      sitekey: '0x4AAAAAAAC3DHQFLr1GavRN',
      pageurl: `${PAGE}?${i}`,
    }));
    let solved = 0;
    await clock.runUntil(
      (async () => {
        for await (const item of solver.solveMany(tasks)) if (item.ok) solved++;
      })(),
    );
    const stats = sim.stats();
    assert.equal(solved, 100);
    assert.ok(stats.http429 <= 8, `${stats.http429} answered 429 of ${stats.requests} requests`);
    await solver.close();
    sim.close();
  });
}
