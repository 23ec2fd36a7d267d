import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import { SlotController, type LimitChange, type SlotPermit } from './slot-controller.js';

/** Takes `n` permits and has the service accept each: the account holds that many of ours. */
async function fill(slots: SlotController, n: number): Promise<SlotPermit[]> {
  const permits: SlotPermit[] = [];
  for (let i = 0; i < n; i++) {
    const permit = await slots.acquire();
    permit.accepted();
    permits.push(permit);
  }
  return permits;
}

/**
 * A toy account: `capacity` threads, each task holds one for a random 10-30 s. Workers take
 * permits, "submit" (accepted while a thread is free), and release when the task ends.
 */
function runAccount(opts: {
  capacity: (now: number) => number;
  tasks: number;
  concurrency: number;
  maxConcurrency?: number;
  durationMs?: number;
  seed?: number;
}) {
  const clock = new ManualClock();
  const random = seededRandom(opts.seed ?? 1);
  const changes: LimitChange[] = [];
  const slots = new SlotController(
    opts.maxConcurrency ? { maxConcurrency: opts.maxConcurrency } : {},
    clock,
    (c) => changes.push(c),
  );
  let onService = 0;
  let maxOnService = 0;
  let rejections = 0;
  let accepted = 0;
  let completed = 0;
  let next = 0;
  const limitAt: Array<[number, number]> = [];
  async function worker(): Promise<void> {
    while (next < opts.tasks) {
      next++;
      let permit = await slots.acquire();
      for (;;) {
        if (onService < opts.capacity(clock.now())) break;
        rejections++;
        permit.rejected();
        permit = await slots.acquire(undefined, true);
      }
      onService++;
      accepted++;
      maxOnService = Math.max(maxOnService, onService);
      permit.accepted();
      await clock.sleep(10_000 + random() * 20_000);
      onService--;
      completed++;
      permit.release();
      limitAt.push([clock.now(), slots.limit]);
    }
  }
  const done = Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
  return {
    clock,
    slots,
    changes,
    done,
    stats: () => ({ rejections, accepted, completed, maxOnService, limitAt }),
  };
}

describe('SlotController', () => {
  test('cold start finds an unknown limit of 50 with a handful of rejections', async () => {
    const run = runAccount({ capacity: () => 50, tasks: 2000, concurrency: 500 });
    await run.clock.runUntil(run.done);
    const s = run.stats();
    assert.equal(s.completed, 2000);
    assert.equal(s.maxOnService, 50);
    assert.ok(
      s.rejections / s.completed <= 0.05,
      `rejections per task ${s.rejections / s.completed}`,
    );
    assert.ok(run.changes.some((c) => c.reason === 'rejected' && c.limit === 50));
    // Throughput close to the bound: 50 threads / 20 s mean hold = 2.5 tasks/s.
    const rate = s.completed / (run.clock.now() / 1000);
    assert.ok(rate >= 0.95 * 2.5, `throughput ${rate.toFixed(3)}/s`);
  });

  test('a user-given maxConcurrency is a hard ceiling', async () => {
    const run = runAccount({
      capacity: () => 50,
      tasks: 300,
      concurrency: 200,
      maxConcurrency: 20,
    });
    await run.clock.runUntil(run.done);
    assert.equal(run.stats().maxOnService, 20);
    assert.equal(run.stats().rejections, 0);
    assert.ok(run.changes.every((c) => c.limit <= 20));
  });

  test('app-limited: the limit never grows past demand and nothing probes', async () => {
    const run = runAccount({ capacity: () => 50, tasks: 1000, concurrency: 10 });
    await run.clock.runUntil(run.done);
    assert.equal(run.stats().rejections, 0);
    assert.ok(run.slots.limit <= 11, `limit drifted to ${run.slots.limit}`);
  });

  test('re-converges when the plan changes 50 -> 25 -> 80', async () => {
    const capacity = (now: number) => (now < 300_000 ? 50 : now < 600_000 ? 25 : 80);
    const run = runAccount({ capacity, tasks: 12_000, concurrency: 1000 });
    await run.clock.runUntil(run.done);
    const limitNear = (t: number) => run.stats().limitAt.find(([at]) => at >= t)?.[1];
    assert.equal(limitNear(290_000), 50);
    assert.ok(
      Math.abs((limitNear(360_000) ?? 0) - 25) <= 1,
      `after the drop: ${limitNear(360_000)}`,
    );
    assert.ok(
      Math.abs((limitNear(660_000) ?? 0) - 80) <= 4,
      `after the raise: ${limitNear(660_000)}`,
    );
    const s = run.stats();
    assert.ok(
      s.rejections / s.completed <= 0.05,
      `rejections per task ${s.rejections / s.completed}`,
    );
  });

  test('aborted waiters leave the queue; close rejects the rest', async () => {
    const clock = new ManualClock();
    const slots = new SlotController({ maxConcurrency: 1 }, clock);
    const held = await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const closed = slots.acquire();
    controller.abort('x');
    await assert.rejects(aborted, AbortError);
    assert.equal(slots.waiting, 1);
    slots.close('bye');
    await assert.rejects(closed, AbortError);
    held.release();
    assert.equal(slots.inFlight, 0);
  });

  test('a higher limit wakes feeders even while no permit is free', async () => {
    const slots = new SlotController({ initialLimit: 4 }, new ManualClock());
    for (let i = 0; i < 4; i++) (await slots.acquire()).accepted();
    let woken = 0;
    slots.onRoom(() => woken++);
    slots.seed(8);
    assert.equal(woken, 1, 'feeders queue more work for the higher limit');
    slots.seed(6);
    assert.equal(woken, 1, 'a lower one does not');
  });

  test('where the solve frees threads, tasks probably finished are filled; only a refusal far past the estimate moves the limit', async () => {
    const slots = new SlotController({ initialLimit: 10, slotRelease: 'solve' }, new ManualClock());
    let done = { mean: 0, variance: 0 };
    slots.estimateDoneWith(() => done);
    slots.seed(10);
    await fill(slots, 10);
    const waiting = slots.acquire();
    let granted = false;
    void waiting.then(() => (granted = true));
    await Promise.resolve();
    assert.equal(granted, false, 'the account is full and nothing has finished');
    done = { mean: 3.4, variance: 1.5 };
    slots.doneEstimateChanged();
    const extra = await waiting;
    assert.equal(extra.kind, 'speculative');
    extra.accepted();
    const second = await slots.acquire();
    assert.equal(second.kind, 'speculative');
    second.accepted();
    const third = await slots.acquire();
    assert.equal(third.kind, 'speculative');
    assert.equal(slots.inFlight, 13);
    // Only two had finished, within the estimate's spread (sd 1.2): refusals pick the times it
    // ran ahead, so the margin answers for this one and the limit stays.
    third.rejected();
    assert.equal(slots.limit, 10);
    assert.equal(slots.inFlight, 12);
    // Refused with 8 thought finished and a tight estimate: 12 out filled the account, so it has
    // about 12 - 8 threads, not 10. The limit goes there, plus half the spread allowed for.
    done = { mean: 8, variance: 0.25 };
    slots.doneEstimateChanged();
    const fourth = await slots.acquire();
    assert.equal(fourth.kind, 'speculative');
    fourth.rejected();
    assert.equal(slots.limit, Math.round(12 - 8 + (2 * 0.5 + 1) / 2));
  });
  test('a bet accepted only because a task was collected meanwhile is no evidence of release at the solve', async () => {
    // A service that holds threads until collection: every bet is refused unless one of ours was
    // collected while it was on its way. Counted when it was sent, such an acceptance looks like
    // a thread freed by a finished task and holds the switch to collection back.
    const slots = new SlotController({ initialLimit: 5 }, new ManualClock());
    let done = { mean: 0, variance: 0 };
    slots.estimateDoneWith(() => done);
    slots.seed(5);
    const out = await fill(slots, 4);
    (await slots.acquire()).rejected(); // full at 4: the limit becomes 4
    assert.equal(slots.limit, 4);
    done = { mean: 10, variance: 16 }; // a wide estimate: its refusals leave the limit alone
    slots.doneEstimateChanged();
    for (let round = 0; round < 4; round++) {
      assert.equal(slots.releaseMode, 'solve');
      const lucky = await slots.acquire();
      assert.equal(lucky.kind, 'speculative');
      out.shift()?.release(); // collected while the bet was on its way
      lucky.accepted();
      out.push(lucky);
      const refused = await slots.acquire();
      assert.equal(refused.kind, 'speculative');
      refused.rejected();
    }
    assert.equal(slots.releaseMode, 'collect');
    assert.equal(slots.limit, 4);
  });
  test('acceptances past the estimate do not climb past the threads the service reports', async () => {
    const slots = new SlotController({ initialLimit: 10, slotRelease: 'solve' }, new ManualClock());
    slots.estimateDoneWith(() => ({ mean: 5, variance: 1 }));
    slots.seed(10);
    let stopped = 0;
    slots.reportThreads(10, () => stopped++);
    const out = await fill(slots, 10);
    // Every bet is accepted (an estimate lagging behind the truth): the margin falls to its
    // floor, where each acceptance would be a climb.
    for (let i = 0; i < 200; i++) {
      const bet = await slots.acquire();
      assert.equal(bet.kind, 'speculative');
      bet.accepted();
      out.shift()?.release();
      out.push(bet);
      assert.equal(slots.limit, 10);
    }
    assert.ok(stopped > 50, `climbs stopped: ${stopped}`);
    // A raised plan, reported: the climbs go on to it.
    slots.reportThreads(12, () => stopped++);
    for (let i = 0; i < 6; i++) (await slots.acquire()).accepted();
    assert.equal(slots.limit, 12);
  });
  test('a refused bet tells the estimate what it measured: ours out past the limit had finished', async () => {
    const slots = new SlotController({ initialLimit: 10, slotRelease: 'solve' }, new ManualClock());
    let done = { mean: 4, variance: 4, shifted: 0 };
    const measured: number[] = [];
    slots.estimateDoneWith(
      () => done,
      (count) => measured.push(count),
    );
    slots.seed(10);
    await fill(slots, 10);
    (await slots.acquire()).accepted();
    const refused = await slots.acquire();
    assert.equal(refused.kind, 'speculative');
    refused.rejected(); // 11 out filled the 10 threads: 1 had finished, not 4
    assert.deepEqual(measured, [1]);
    assert.equal(slots.limit, 10, 'within the spread: the limit stays');
    // The estimate now reads 3, held down by 2 from the model's 5. A refusal anchors the limit on
    // the model's own 5 (11 - 5 = 6, more than the allowance under 10), not on the reading that
    // this limit itself produced (11 - 3 = 8, within it).
    done = { mean: 3, variance: 0.25, shifted: -2 };
    slots.doneEstimateChanged();
    const again = await slots.acquire();
    assert.equal(again.kind, 'speculative');
    again.rejected();
    assert.equal(slots.limit, Math.round(11 - 5 + (2 * 0.5 + 1) / 2));
  });

  test('no probe while solves freeing threads cannot yet be read (too few seen)', async () => {
    const slots = new SlotController({ initialLimit: 4, slotRelease: 'solve' }, new ManualClock());
    let done = { mean: 0, variance: 0, unknown: 4 };
    slots.estimateDoneWith(() => done);
    slots.seed(4);
    const out = await fill(slots, 4);
    // Completions at the limit make a probe due, but any of the 4 out may have finished and
    // freed its thread: an accepted probe would prove nothing and climb all the same.
    let probes = 0;
    for (let i = 0; i < 300; i++) {
      if (i === 150) done = { mean: 0, variance: 0, unknown: 0 };
      const waiting = slots.acquire();
      slots.doneEstimateChanged();
      out.shift()?.release();
      const permit = await waiting;
      if (permit.kind === 'probe') {
        assert.ok(i >= 150, `probe at round ${i}`);
        probes++;
        permit.rejected();
        continue;
      }
      permit.accepted();
      out.push(permit);
    }
    assert.ok(probes > 0, 'once solves can be read, probes go again');
  });

  test('aheadOf counts ours on the service and submits sent before; restore only raises the limit', async () => {
    const changes: LimitChange[] = [];
    const slots = new SlotController({ initialLimit: 10 }, new ManualClock(), (c) =>
      changes.push(c),
    );
    await fill(slots, 3);
    const first = await slots.acquire();
    const second = await slots.acquire();
    assert.equal(slots.aheadOf(first), 3);
    assert.equal(slots.aheadOf(second), 4, 'the earlier submit reached the service first');
    first.rejected();
    assert.equal(slots.aheadOf(second), 3);
    const limit = slots.limit;
    slots.restore(limit - 2);
    assert.equal(slots.limit, limit, 'never lowered');
    slots.restore(limit + 5);
    assert.equal(slots.limit, limit + 5);
    assert.equal(changes.at(-1)?.reason, 'restored');
  });
});
