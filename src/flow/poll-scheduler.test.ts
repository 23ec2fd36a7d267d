import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import type { Answer } from '../protocol/answer.js';
import { ManualClock } from '../time/manual-clock.js';
import type { PollOutcome, PollRequests, PollSchedulerOptions } from './poll-scheduler-types.js';
import { PollScheduler } from './poll-scheduler.js';
import type { SlotRelease } from './release-mode.js';
import { LogNormalSolveTime } from './solve-time-log-normal.js';
import { SolveTimeRegistry } from './solve-time-registry.js';

/** A service whose tasks finish at known times; records every poll request. */
function fakeService(clock: ManualClock, opts: { batch: 'yes' | 'unsupported' | 'garbled' }) {
  const doneAt = new Map<string, number>();
  const calls: Array<{ at: number; ids: string[] }> = [];
  const answer = (id: string): Answer => {
    const at = doneAt.get(id);
    if (at === undefined) return { kind: 'error', code: 'ERROR_WRONG_CAPTCHA_ID' };
    return clock.now() >= at
      ? { kind: 'ok', value: `answer-${id}`, extra: {} }
      : { kind: 'not-ready' };
  };
  const requests: PollRequests = {
    one: (id) => {
      calls.push({ at: clock.now(), ids: [id] });
      return Promise.resolve(answer(id));
    },
    many: (ids) => {
      calls.push({ at: clock.now(), ids: [...ids] });
      if (opts.batch === 'unsupported')
        return Promise.resolve({ kind: 'error', code: 'ERROR_WRONG_ID_FORMAT', unsupported: true });
      if (opts.batch === 'garbled') return Promise.resolve({ kind: 'garbled' });
      return Promise.resolve({
        kind: 'answers',
        answers: new Map(ids.map((id) => [id, answer(id)])),
      });
    },
  };
  return { doneAt, calls, requests };
}

const OPTIONS: PollSchedulerOptions = {
  batchPoll: 'auto',
  maxBatchSize: 100,
  pollIntervalMs: 5000,
  pollBudget: undefined,
  batchPollsPerSolve: 0.1,
};

function setup(
  batch: 'yes' | 'unsupported' | 'garbled',
  options: Partial<PollSchedulerOptions> = {},
) {
  const clock = new ManualClock(0);
  const service = fakeService(clock, { batch });
  const models = new SolveTimeRegistry(() => 15_000);
  const modes: string[] = [];
  const scheduler = new PollScheduler({ ...OPTIONS, ...options }, service.requests, models, clock, {
    modeChanged: (m) => modes.push(m),
  });
  const track = (
    id: string,
    solveMs: number,
    deadlineMs = 300_000,
    signal = new AbortController().signal,
    hurried?: () => boolean,
  ): Promise<PollOutcome> => {
    service.doneAt.set(id, clock.now() + solveMs);
    return scheduler.track({
      taskId: id,
      method: 'userrecaptcha',
      acceptedAt: clock.now(),
      deadlineAt: clock.now() + deadlineMs,
      signal,
      ...(hurried ? { hurried } : {}),
    });
  };
  return { clock, service, scheduler, models, modes, track };
}

describe('PollScheduler', () => {
  test('with ids= many tasks share each poll request, none polled before the early quantile', async () => {
    const { clock, service, track, modes } = setup('yes');
    const outcomes = Promise.all(
      Array.from({ length: 150 }, (_, i) => track(String(1000 + i), 10_000 + (i % 30) * 500)),
    );
    const results = await clock.runUntil(outcomes);
    assert.ok(results.every((r) => r.kind === 'solved'));
    assert.deepEqual(modes, ['batch']);
    // Prior median 15 s, sigma 0.6: the 5 % quantile is about 5.6 s.
    assert.ok((service.calls[0]?.at ?? 0) >= 5_000, `first poll at ${service.calls[0]?.at}`);
    assert.ok(service.calls.every((c) => c.ids.length <= 100));
    const idsPolled = service.calls.reduce((n, c) => n + c.ids.length, 0);
    assert.ok(
      service.calls.length * 10 < idsPolled,
      `${service.calls.length} requests for ${idsPolled} task polls`,
    );
  });

  test('falls back to single polls when the service refuses ids=, and still answers every task', async () => {
    for (const batch of ['unsupported', 'garbled'] as const) {
      const { clock, service, track, modes, scheduler } = setup(batch);
      const results = await clock.runUntil(
        Promise.all(Array.from({ length: 20 }, (_, i) => track(String(i + 1), 12_000 + i * 300))),
      );
      assert.ok(results.every((r) => r.kind === 'solved'));
      assert.deepEqual(modes, ['single'], batch);
      assert.equal(scheduler.pollMode, 'single');
      assert.equal(
        service.calls.filter((c) => c.ids.length > 1).length,
        1,
        'one batch attempt only',
      );
    }
  });

  test('a task error answer is that task’s failure', async () => {
    const { clock, scheduler } = setup('yes');
    const outcome = scheduler.track({
      taskId: '404',
      method: 'turnstile',
      acceptedAt: 0,
      deadlineAt: 100_000,
      signal: new AbortController().signal,
    });
    const result = await clock.runUntil(outcome);
    assert.equal(result.kind, 'failed');
    assert.equal((result as { error: { code: string } }).error.code, 'ERROR_WRONG_CAPTCHA_ID');
  });

  test('a per-task poll budget is never exceeded, even for a task that never finishes', async () => {
    const { clock, service, track } = setup('unsupported', { pollBudget: 20 });
    const controller = new AbortController();
    const pending = track('7', 10_000_000, 300_000, controller.signal);
    const rejected = assert.rejects(pending, AbortError);
    await clock.advance(300_000);
    controller.abort();
    await rejected;
    const polls = service.calls.filter((c) => c.ids.includes('7')).length;
    assert.ok(polls <= 20 && polls >= 10, `${polls} polls`);
  });

  test('abort removes the task and leaves no timer behind', async () => {
    const { clock, track, scheduler } = setup('yes');
    const controller = new AbortController();
    const pending = track('9', 60_000, 300_000, controller.signal);
    const rejected = assert.rejects(pending, AbortError);
    await clock.advance(20_000);
    controller.abort('stop');
    await rejected;
    await clock.advance(0);
    assert.equal(scheduler.size, 0);
    assert.equal(clock.pendingTimers, 0);
  });

  test('learns the solve time: after many fast tasks, first polls come much earlier', async () => {
    const { clock, service, track, models } = setup('unsupported');
    for (let round = 0; round < 6; round++) {
      await clock.runUntil(
        Promise.all(Array.from({ length: 20 }, (_, i) => track(`${round}-${i}`, 3_000 + i * 100))),
      );
    }
    const model = models.get('userrecaptcha');
    assert.ok(model.medianMs < 6_000, `learned median ${model.medianMs}`);
    const start = clock.now();
    void track('late', 3_500);
    await clock.advance(10_000);
    const first = service.calls.find((c) => c.ids.includes('late'));
    assert.ok(
      first && first.at - start < 6_000,
      `first poll ${first ? first.at - start : 'none'} ms after accept`,
    );
  });

  describe('where threads are freed only at collection', () => {
    // The registry's prior (median 15 s, sigma 0.6) is the truth here, so no learning gets in the way.
    const truth = LogNormalSolveTime.fromMedian(15_000, 0.6);
    const solveMs = (i: number, n: number): number => Math.round(truth.quantile((i + 0.5) / n));

    /** Mean lag from completion to collection, and polls per task, for 40 tasks polled singly. */
    /** The model as if it had seen many tasks already (an early fit leans to the fast ones). */
    function trained(models: SolveTimeRegistry): void {
      const model = models.get('userrecaptcha');
      for (let i = 0; i < 256; i++) model.observeExact(solveMs(i, 256));
    }

    async function run(
      release: SlotRelease,
      options: Partial<PollSchedulerOptions> = {},
      hurried?: () => boolean,
    ) {
      const { clock, service, scheduler, track, models } = setup('unsupported', {
        batchPoll: 'never',
        ...options,
      });
      trained(models);
      scheduler.followReleaseMode(() => release);
      const n = 40;
      const lags = await clock.runUntil(
        Promise.all(
          Array.from({ length: n }, (_, i) => {
            const id = String(500 + i);
            return track(id, solveMs(i, n), 300_000, undefined, hurried).then(
              () => clock.now() - (service.doneAt.get(id) ?? 0),
            );
          }),
        ),
      );
      const polls = service.calls.length / n;
      return { lagMs: lags.reduce((a, b) => a + b, 0) / n, polls, calls: service.calls };
    }

    test('single polls follow the hazard closely: lag about 4 % of the mean, at more polls', async (t) => {
      const collect = await run('collect');
      const solve = await run('solve');
      t.diagnostic(
        `collect: lag ${collect.lagMs.toFixed(0)} ms, ${collect.polls.toFixed(2)} polls; solve: lag ${solve.lagMs.toFixed(0)} ms, ${solve.polls.toFixed(2)} polls`,
      );
      const meanMs = truth.meanMs;
      assert.ok(
        collect.lagMs > 0.03 * meanMs && collect.lagMs < 0.05 * meanMs,
        `lag ${collect.lagMs} ms`,
      );
      assert.ok(collect.polls < 12, `${collect.polls} polls a task`);
      assert.ok(
        solve.lagMs > 0.25 * meanMs,
        `case A keeps its sparse polls: lag ${solve.lagMs} ms`,
      );
      assert.ok(solve.polls <= 1.5, `case A keeps its poll economy: ${solve.polls}`);
    });

    test('a hurried task (its type starved at a platform cap) is polled to a lag near 10 % of the mean', async () => {
      const hurried = await run('solve', {}, () => true);
      const solve = await run('solve');
      const meanMs = truth.meanMs;
      assert.ok(
        hurried.lagMs > 0.07 * meanMs && hurried.lagMs < 0.13 * meanMs,
        `hurried lag ${hurried.lagMs} ms (sparse plan: ${solve.lagMs} ms)`,
      );
      assert.ok(hurried.polls < 6, `${hurried.polls} polls a task`);
    });

    test('a task that turns hurried has its planned poll brought forward at the next tick', async () => {
      const { clock, service, track } = setup('unsupported', { batchPoll: 'never' });
      let hurried = false;
      void track('1', 60_000, 300_000, undefined, () => hurried);
      await clock.advance(3_000);
      hurried = true;
      await clock.advance(12_000);
      const first = service.calls.find((c) => c.ids.includes('1'));
      assert.ok(first && first.at <= 12_000, `first poll at ${first?.at}`);
    });

    test('a per-task poll budget still holds, even for a task that never finishes', async () => {
      for (const batchPoll of ['never', 'always'] as const) {
        const tenth = await budgetRun(batchPoll);
        // The schedule's (or cadence's) own polls reach the slow tail before the reserve takes over.
        assert.ok(tenth >= truth.quantile(0.9), `${batchPoll}: 10th poll at ${tenth} ms`);
      }
    });

    async function budgetRun(batchPoll: 'never' | 'always'): Promise<number> {
      const { clock, service, scheduler, track } = setup('yes', { pollBudget: 20, batchPoll });
      scheduler.followReleaseMode(() => 'collect');
      // A second, quick task makes the batch path real (a lone task is polled singly).
      void track('8', 10_000);
      const controller = new AbortController();
      const pending = track('7', 10_000_000, 300_000, controller.signal);
      const rejected = assert.rejects(pending, AbortError);
      await clock.advance(300_000);
      controller.abort();
      await rejected;
      const polls = service.calls.filter((c) => c.ids.includes('7'));
      assert.ok(polls.length <= 20 && polls.length >= 10, `${batchPoll}: ${polls.length} polls`);
      return polls[9]?.at ?? 0;
    }

    test('a switch to collect mode brings planned polls forward at the next tick', async () => {
      const { clock, service, scheduler, track } = setup('unsupported', { batchPoll: 'never' });
      let release: SlotRelease = 'solve';
      scheduler.followReleaseMode(() => release);
      void track('1', 60_000);
      await clock.advance(3_000);
      release = 'collect';
      await clock.advance(12_000);
      const first = service.calls.find((c) => c.ids.includes('1'));
      // Case A waits for the 65 % quantile (about 19 s) before its first poll.
      assert.ok(truth.quantile(0.65) > 18_000);
      assert.ok(first && first.at <= 12_000, `first poll at ${first?.at}`);
    });

    test('with ids= the batch cadence keeps the lag within the share too', async () => {
      const cadence = async (release: SlotRelease): Promise<number> => {
        const { clock, service, scheduler, track } = setup('yes');
        scheduler.followReleaseMode(() => release);
        await clock.runUntil(
          Promise.all(Array.from({ length: 20 }, (_, i) => track(String(900 + i), solveMs(i, 20)))),
        );
        const batches = service.calls.filter((c) => c.ids.length > 1);
        const gaps = batches.slice(1).map((c, i) => c.at - (batches[i]?.at ?? 0));
        return Math.max(...gaps);
      };
      const collectGap = await cadence('collect');
      assert.ok(collectGap <= 2 * 0.04 * truth.meanMs + 1, `batch every ${collectGap} ms`);
      assert.ok((await cadence('solve')) >= 4_000, 'case A keeps its cadence');
    });
  });

  test('a task whose next poll would fall past its deadline is polled once more just before it', async () => {
    // Once the model knows solves take about 20 s, polls of a task that outlives it spread
    // out: one solved at 117 s of a 120 s deadline would otherwise time out unseen, its answer
    // paid for and lost.
    const { clock, service, track } = setup('unsupported');
    const learnt = Array.from({ length: 300 }, (_, i) =>
      track(String(i + 1), 15_000 + (i % 11) * 1_000),
    );
    await clock.runUntil(Promise.all(learnt));
    const start = clock.now();
    const deadline = new AbortController();
    clock.sleep(120_000).then(
      () => deadline.abort(new Error('deadline')),
      () => undefined,
    );
    const outcome = await clock.runUntil(
      track('outlier', 117_000, 120_000, deadline.signal).catch(() => ({ kind: 'timed out' })),
    );
    const polls = service.calls.filter((c) => c.ids.includes('outlier')).map((c) => c.at - start);
    assert.equal(outcome.kind, 'solved', JSON.stringify(polls));
    const last = polls.at(-1) ?? 0;
    assert.ok(last >= 117_000 && last < 120_000, `last poll at ${last}`);
  });
});
