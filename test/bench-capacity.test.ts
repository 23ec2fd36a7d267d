// S9-S12 of the benchmark: the platform-limit measures on scripted inputs (where the right answer
// is known by hand), and shortened S9/S10 runs in virtual time whose measures must come out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Simulator } from '../src/simulator/index.js';
import { runVirtual } from '../bench/harness/run-virtual.js';
import { capIdealMs } from '../bench/metrics/cap-bound.js';
import { capacityFailures } from '../bench/metrics/capacity-failures.js';
import { fluidIdealMs } from '../bench/metrics/fluid-bound.js';
import { longestBelowAfterRefusal, refusalTimes } from '../bench/metrics/limit-below.js';
import type { StatsProbe } from '../bench/metrics/platform-trace.js';
import { secondsUntilRollingShare } from '../bench/metrics/rolling-recovery.js';
import { summarize } from '../bench/metrics/summarize.js';
import { evaluateTargets } from '../bench/metrics/targets.js';
import { threadMsBetween, typeOccupancy } from '../bench/metrics/type-occupancy.js';
import { s10, s9 } from '../bench/scenarios/capacity-causes.js';
import { catalog } from '../bench/scenarios/catalog.js';
import { benchTasks } from '../bench/scenarios/tasks.js';
import { matchesOnly } from '../bench/suites.js';

const INF = Number.POSITIVE_INFINITY;

describe('fluid bound on a capacity curve', () => {
  test('a capped type: cap 1 of 4 threads, 10 s of work each → 10 s (the cap binds)', () => {
    const ideal = fluidIdealMs({
      workMs: { a: 10_000, b: 10_000 },
      threadsAt: () => 4,
      capacityAt: (type) => (type === 'a' ? 1 : INF),
    });
    assert.equal(ideal, 10_000);
    assert.equal(capIdealMs({ a: 10_000, b: 10_000 }, { a: 1 }, 4), 10_000);
  });

  test('cap 2 of 4: both types at 2 threads, done at 5 s (the threads bind as much)', () => {
    const ideal = fluidIdealMs({
      workMs: { a: 10_000, b: 10_000 },
      threadsAt: () => 4,
      capacityAt: (type) => (type === 'a' ? 2 : INF),
    });
    assert.equal(ideal, 5_000);
    assert.equal(capIdealMs({ a: 10_000, b: 10_000 }, { a: 2 }, 4), 5_000);
  });

  test('an outage of a for 5 s: b alone fills 4 threads (2 s), idle, then a on 4 threads → 7 s', () => {
    const ideal = fluidIdealMs({
      workMs: { a: 8_000, b: 8_000 },
      threadsAt: () => 4,
      capacityAt: (type, t) => (type === 'a' && t < 5_000 ? 0 : INF),
    });
    assert.equal(ideal, 7_000);
  });

  test('a plan change halves the threads at 2 s: 12 thread-s on 4 then 2 threads → 4 s', () => {
    const ideal = fluidIdealMs({
      workMs: { a: 12_000 },
      threadsAt: (t) => (t < 2_000 ? 4 : 2),
      capacityAt: () => INF,
    });
    assert.equal(ideal, 4_000);
  });

  test('a type refused for ever never finishes: null', () => {
    const ideal = fluidIdealMs({
      workMs: { a: 1_000 },
      threadsAt: () => 4,
      capacityAt: () => 0,
      maxMs: 60_000,
    });
    assert.equal(ideal, null);
  });
});

describe('outage measures on scripted traces', () => {
  const probe = (atMs: number, a: number, b: number): StatsProbe => ({
    atMs,
    slotMs: a + b,
    byType: {
      a: { accepted: 0, refusedAccount: 0, refusedPlatform: 0, inUse: 0, maxInUse: 0, slotMs: a },
      b: { accepted: 0, refusedAccount: 0, refusedPlatform: 0, inUse: 0, maxInUse: 0, slotMs: b },
    },
  });

  test("the other types' occupancy is their slot-ms growth over threads × span", () => {
    // 10 threads over 20 s = 200,000 thread-ms; b held 180,000 of them, a (refused) none.
    const occupancy = typeOccupancy(
      probe(10_000, 50_000, 100_000),
      probe(30_000, 50_000, 280_000),
      (type) => type !== 'a',
      threadMsBetween(10_000, 30_000, () => 10, []),
    );
    assert.equal(occupancy, 0.9);
    // Threads 10 until 20 s, then 30: 100,000 + 300,000 thread-ms.
    assert.equal(
      threadMsBetween(10_000, 30_000, (t) => (t < 20_000 ? 10 : 30), [20_000]),
      400_000,
    );
  });

  test('the 10 s rolling occupancy reaches 95 % of 10 threads 12 s after the outage', () => {
    // One sample a second; none in use until 101 s, all 10 from 102 s. The trailing mean over
    // (t − 10 s, t] is 9.0 at 110 s (one zero left) and 10 at 111 s: 12 s after 99 s.
    const t: number[] = [];
    const inUse: number[] = [];
    for (let s = 1; s <= 200; s++) {
      t.push(s * 1000);
      inUse.push(s < 102 ? 0 : 10);
    }
    assert.equal(
      secondsUntilRollingShare({ t, inUse }, 99_000, () => 10),
      12,
    );
    // An account that never emptied is back at once (the sample at 99 s).
    assert.equal(
      secondsUntilRollingShare({ t, inUse: t.map(() => 10) }, 99_000, () => 10),
      0,
    );
    // Never back: null.
    assert.equal(
      secondsUntilRollingShare({ t, inUse: t.map(() => 9) }, 99_000, () => 10),
      null,
    );
  });

  test('the limit stays below the threads for 35 s after a platform refusal', () => {
    // Discovery reaches 50 at 10 s; a platform refusal (sampled at 101 s) drops it to 30 at
    // 100.5 s; back to 50 at 135 s. An earlier refusal at 5 s is part of the cold start.
    const timeline = [
      { atMs: 0, limit: 4 },
      { atMs: 10_000, limit: 50 },
      { atMs: 100_500, limit: 30 },
      { atMs: 120_000, limit: 45 },
      { atMs: 135_000, limit: 50 },
    ];
    const t = Array.from({ length: 300 }, (_, i) => (i + 1) * 1000);
    const counter = t.map((at) => (at >= 101_000 ? 2 : at >= 5_000 ? 1 : 0));
    const refusals = refusalTimes(t, counter);
    assert.deepEqual(refusals, [5_000, 101_000]);
    const result = longestBelowAfterRefusal({
      timeline,
      threadsAt: () => 50,
      changeTimesMs: [],
      refusalTimesMs: refusals,
      untilMs: 300_000,
      resolutionMs: 1000,
    });
    assert.equal(result.longestMs, 34_500);
    assert.equal(result.afterRefusalAtMs, 101_000);
  });

  test('capacity failures: capacity codes and timeouts before acceptance, not other failures', () => {
    assert.equal(
      capacityFailures({
        ERROR_ZERO_BALANCE: 3,
        ERROR_NO_SLOT_AVAILABLE: 1,
        TIMEOUT_BEFORE_ACCEPT: 2,
        TIMEOUT: 5,
        ERROR_CAPTCHA_UNSOLVABLE: 7,
      }),
      6,
    );
  });
});

describe('mixed workloads and the catalog', () => {
  test('the reCAPTCHA list is unchanged; mixed interleaves valid, distinct image tasks', () => {
    const plain = benchTasks(4);
    assert.deepEqual(plain[3], {
      method: 'userrecaptcha',
      googlekey: '6Le-benchSiteKey-0123456789abcdefghij',
      pageurl: 'https://bench.example/page/3',
    });
    const mixed = benchTasks(6, 'mixed');
    assert.deepEqual(mixed[2], plain[2]);
    const sim = new Simulator({ seed: 1 });
    const images = mixed.filter((task) => task.method === 'base64');
    assert.equal(images.length, 3);
    for (const task of images) {
      assert.ok(Buffer.from(task.body, 'base64').length > 100);
      // Throws with the validation code if the simulator would refuse the task.
      sim.expectedAnswer({ ...task });
    }
    assert.equal(new Set(images.map((t) => t.body)).size, 3);
  });

  test('--only S1 is S1-* and not S10-S12; S1-50 is not S1-500', () => {
    const ids = catalog()
      .filter((s) => matchesOnly(s, 'S1'))
      .map((s) => s.id);
    assert.ok(ids.length === 6 && ids.every((id) => id.startsWith('S1-')), ids.join());
    const s150 = catalog()
      .filter((s) => matchesOnly(s, 'S1-50'))
      .map((s) => s.id);
    assert.deepEqual(s150, ['S1-50-ids', 'S1-50-noids']);
    assert.equal(catalog().filter((s) => matchesOnly(s, 'S9')).length, 2);
  });
});

describe('shortened S9 and S10 in virtual time', () => {
  test('S9 (40 s outage of reCAPTCHA v2): probes, occupancy, recovery, refusals, failures', async () => {
    const scenario = { ...s9(40, 600), id: 'S9-40' };
    const vendor = summarize(await runVirtual(scenario, 'vendor@L*', 1));
    const p = vendor.platform;
    assert.ok(p, 'a platform report');
    const outage = p.outages[0];
    assert.ok(outage);
    assert.deepEqual([outage.fromS, outage.toS], [120, 160]);
    // The vendor's fixed pool parks workers on refused reCAPTCHA tasks: images cannot fill it.
    assert.ok(
      outage.othersOccupancy !== null && outage.othersOccupancy > 0 && outage.othersOccupancy < 0.9,
      `others ${outage.othersOccupancy}`,
    );
    assert.ok(p.refused.platform > 0);
    // Its five retries span 31 s, less than the outage: some reCAPTCHA tasks fail for capacity.
    assert.ok(p.capacityFailures > 0, `capacity failures ${p.capacityFailures}`);
    assert.ok(p.idealS !== null && p.idealS > 0 && p.idealS <= p.runS);
    // The fluid ideal is no shorter than all the work on 50 threads.
    const work = Object.values(p.workS).reduce((a, b) => a + b, 0);
    assert.ok(p.idealS >= work / 50 - 1e-9);
    assert.equal(vendor.limit, null);
    assert.equal(p.limitBelowAfterRefusalS, null);

    const ours = summarize(await runVirtual(scenario, 'ours', 1));
    assert.ok(ours.platform?.limitBelowAfterRefusalS !== null);
    const targets = evaluateTargets([ours, vendor]).filter((t) => t.scenario === 'S9-40');
    assert.deepEqual(
      targets.map((t) => t.target),
      [
        'other types hold the threads during the outage (share)',
        'after the outage: 10 s rolling occupancy back to 95 % (s)',
        'tasks failed for capacity',
      ],
    );
  });

  test('S10 (cap 20 of 50): the fluid ideal and the closed form agree; no one beats them', async () => {
    const scenario = s10(20, 400);
    for (const client of ['ours', 'vendor@L*'] as const) {
      const r = summarize(await runVirtual(scenario, client, 1));
      const p = r.platform;
      assert.ok(p && p.idealS !== null && p.capIdealS !== null && p.capRatio !== null);
      assert.ok(Math.abs(p.idealS - p.capIdealS) <= 1, `${p.idealS} vs ${p.capIdealS}`);
      assert.ok(p.capRatio >= 1, `${client}: run / ideal ${p.capRatio}`);
      // reCAPTCHA v2 work over 20 binds: half the tasks, 20 of 50 threads.
      const rc = p.workS.recaptchaV2 ?? 0;
      assert.ok(Math.abs(p.capIdealS - rc / 20) < 1e-6);
      assert.equal(r.binding, 'platform');
      assert.ok((p.byType.recaptchaV2?.maxInUse ?? 0) <= 20);
    }
  });

  test('a run past its stopAfterMs is stopped: every task not reported counts as UNFINISHED', async () => {
    // reCAPTCHA v2 is refused from 120 s to 720 s: by 300 s no client can have finished.
    const scenario = { ...s9(600, 400), stopAfterMs: 300_000 };
    const r = summarize(await runVirtual(scenario, 'ours', 1));
    assert.equal(r.solved + r.failed, 400);
    assert.ok((r.failCodes.UNFINISHED ?? 0) > 0, JSON.stringify(r.failCodes));
    assert.ok((r.platform?.capacityFailures ?? 0) >= (r.failCodes.UNFINISHED ?? 0));
    // The ideal is that of all the work: reCAPTCHA v2 tasks never accepted still count, and
    // none of them can start before the outage ends at 720 s.
    assert.ok((r.platform?.idealS ?? 0) > 720, `ideal ${r.platform?.idealS}`);
    // What the client learnt up to the stop is still shown.
    assert.ok(r.limit !== null && r.limit.changes > 0);
  });
});
