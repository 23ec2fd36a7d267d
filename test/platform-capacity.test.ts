// The second cause of a capacity refusal, end to end: the Solver against the in-process simulator
// with the platform's workers per CAPTCHA type switched on, on a virtual clock (deterministic).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EVIDENCE_MS } from '../src/flow/platform/refusal-cause.js';
import type { Simulator, SimulatorOptions } from '../src/simulator/index.js';
import type { SolverEvents } from '../src/solver/events.js';
import type { ImageBase64Task, RecaptchaV2Task, Task } from '../src/index.js';
import type { SolverOptions } from '../src/solver/types.js';
import { VIRTUAL_START as START, virtualSolver } from './helpers/virtual-solver.js';

const THREADS = 20;
/** Bytes that pass the simulator's image checks (a JPEG header and padding). */
const IMAGE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 7)]).toString(
  'base64',
);

function v2(i: number): RecaptchaV2Task {
  return {
    method: 'userrecaptcha',
    googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
    pageurl: `https://example.com/${i}`,
  };
}
function image(i: number): ImageBase64Task {
  return { method: 'base64', body: IMAGE, textinstructions: `task ${i}` };
}
/** ReCAPTCHA and image tasks, one each in turn. */
function mixed(n: number) {
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? v2(i) : image(i)));
}

function run(sim: Partial<SimulatorOptions>, tasks: Task[], solver: Partial<SolverOptions> = {}) {
  const { clock, simulator, client } = virtualSolver(
    { sim: 11, solver: 5 },
    { defaultAccount: { threads: THREADS }, ...sim },
    solver,
  );
  const limits: Array<{ at: number; limit: number; reason: string }> = [];
  const rejected: Array<SolverEvents['rejected'] & { at: number }> = [];
  const busy: Array<SolverEvents['type-busy']> = [];
  const opened: Array<SolverEvents['type-open']> = [];
  client.on('limit-changed', (e) =>
    limits.push({ at: clock.now() - START, limit: e.limit, reason: e.reason }),
  );
  client.on('rejected', (e) => rejected.push({ ...e, at: clock.now() - START }));
  client.on('type-busy', (e) => busy.push(e));
  client.on('type-open', (e) => opened.push(e));
  const samples = new Map<number, ReturnType<Simulator['stats']>>();
  const sampleAt = (ms: number): void => {
    clock.sleep(ms).then(
      () => samples.set(ms, simulator.stats()),
      () => undefined,
    );
  };
  const failures: string[] = [];
  let solved = 0;
  const done = (async () => {
    for await (const item of client.solveMany(tasks)) {
      if (item.ok) solved++;
      else failures.push(String((item.error as { code?: unknown }).code));
    }
  })();
  return {
    clock,
    simulator,
    client,
    limits,
    rejected,
    busy,
    opened,
    samples,
    failures,
    get solved() {
      return solved;
    },
    sampleAt,
    async finish() {
      await clock.runUntil(done);
      await client.close();
      return clock.now() - START;
    },
  };
}

/**
 * Every cut of the account's limit came with a refusal put down to the account at that moment:
 * the platform's refusals never lower it.
 */
function assertCutsAreTheAccounts(r: ReturnType<typeof run>): void {
  for (const cut of r.limits.filter((l) => l.reason === 'rejected')) {
    const cause = r.rejected.filter((e) => e.at === cut.at).map((e) => e.cause);
    assert.ok(
      cause.includes('account'),
      `limit cut to ${cut.limit} at ${cut.at} ms with refusals ${JSON.stringify(cause)}`,
    );
  }
}

/** Slot-ms held by a type between two samples, as a share of the account's threads. */
function occupancy(
  from: ReturnType<Simulator['stats']>,
  to: ReturnType<Simulator['stats']>,
  types: string[],
  ms: number,
): number {
  let held = 0;
  for (const type of types)
    held += (to.byType[type]?.slotMs ?? 0) - (from.byType[type]?.slotMs ?? 0);
  return held / (THREADS * ms);
}

describe('capacity refused by the platform for one type', () => {
  test('an outage of one type: other types fill the threads, the account limit stays, no task fails', async () => {
    // The same work without the outage: what the flow controller makes of these threads anyway.
    const base = run({}, mixed(1200));
    base.sampleAt(150_000);
    base.sampleAt(300_000);
    await base.finish();
    const usual = occupancy(
      base.samples.get(150_000)!,
      base.samples.get(300_000)!,
      ['image', 'recaptchaV2'],
      150_000,
    );

    const r = run(
      { platform: { outages: [{ type: 'recaptchaV2', fromMs: 120_000, toMs: 300_000 }] } },
      mixed(1200),
    );
    r.sampleAt(150_000);
    r.sampleAt(300_000);
    const elapsed = await r.finish();
    assert.deepEqual(r.failures, []);
    assert.equal(r.solved, 1200);
    const during = occupancy(r.samples.get(150_000)!, r.samples.get(300_000)!, ['image'], 150_000);
    // Image tasks alone hold the threads about as well as both types do without the outage
    // (today 0.84 against 0.86; a client whose limit collapses holds about 0.05).
    assert.ok(
      during >= usual - 0.05,
      `image tasks held ${during.toFixed(3)} of the threads during the outage, ${usual.toFixed(3)} without it`,
    );
    assertCutsAreTheAccounts(r);
    const platform = r.rejected.filter(
      (e) => e.at >= 120_000 && e.at < 300_000 && e.type === 'userrecaptcha',
    );
    // Past the outage's onset (the evidence from other types' acceptances takes a few seconds to
    // come in), every refusal of the type is put down to the platform.
    const misread = platform.filter((e) => e.cause !== 'platform' && e.at >= 120_000 + EVIDENCE_MS);
    assert.deepEqual(misread, []);
    // After the outage's first minute (the onset: submits already on their way, a cap read while
    // some of the type were out and brought down as they end, then the vendor's backoff), tries
    // come every 15 to 30 s: at most 8 in the last two minutes.
    const late = platform.filter((e) => e.at >= 180_000);
    assert.ok(
      late.length <= 8,
      `${late.length} refused submits of the busy type after its first minute`,
    );
    assert.ok(platform.length <= 30, `${platform.length} refused submits of the busy type`);
    assert.ok(r.busy.some((e) => e.type === 'userrecaptcha' && e.reason === 'busy'));
    assert.equal(r.opened.filter((e) => e.type === 'userrecaptcha').length >= 1, true);
    // The outage costs little beyond the work it delays.
    assert.ok(
      elapsed <= 1.05 * base.clock.now() - START,
      `${elapsed} ms against ${base.clock.now() - START} ms without the outage`,
    );
  });

  test('a type capped below the account: the account limit stays at its threads, the cap is learnt', async () => {
    const r = run({ platform: { caps: { recaptchaV2: 6 } } }, mixed(800));
    const elapsed = await r.finish();
    assert.deepEqual(r.failures, []);
    const stats = r.simulator.stats();
    assert.ok((stats.byType.recaptchaV2?.maxInUse ?? 0) <= 6);
    assertCutsAreTheAccounts(r);
    const cap = r.busy.find((e) => e.reason === 'capped');
    assert.ok(cap && (cap.cap ?? 0) >= 6 && (cap.cap ?? 0) <= 9, `learnt cap ${cap?.cap}`);
    // The ideal: 400 reCAPTCHA tasks at 6 at once, 20 s each: 1,333 s; all 800 at 20: 800 s.
    // Today 1.45 times that (a guard a little above; the bench's S10 target is 1.05).
    assert.ok(elapsed <= (1.5 * (400 * 20_000)) / 6, `${elapsed} ms`);
    // Refusals stay few: a cap is probed rarely.
    assert.ok(
      (stats.byType.recaptchaV2?.refusedPlatform ?? 0) <= 0.1 * 400,
      `${stats.byType.recaptchaV2?.refusedPlatform} refusals`,
    );
  });

  test('a long outage of the only type: the cuts its refusals made are undone, however long ago', async () => {
    // With no other type to ask, each refusal reads as a full account while our tasks of the type
    // end one by one; once none is left the platform is proven, and every cut of the streak goes.
    const tasks = Array.from({ length: 300 }, (_, i) => v2(i));
    const r = run(
      { platform: { outages: [{ type: 'recaptchaV2', fromMs: 60_000, toMs: 240_000 }] } },
      tasks,
    );
    await r.finish();
    assert.deepEqual(r.failures, []);
    const cuts = r.limits.filter(
      (l) => l.at >= 60_000 && l.at < 240_000 && l.reason === 'rejected',
    );
    assert.ok(
      cuts.length > 0,
      "the outage's first refusals cut the limit (the test would show nothing)",
    );
    const lowest = Math.min(...cuts.map((l) => l.limit));
    const restored = r.limits.filter((l) => l.at > (cuts[0]?.at ?? 0) && l.reason === 'restored');
    assert.ok(
      restored.some((l) => l.limit >= THREADS - 2),
      `cut as low as ${lowest}, restored to ${JSON.stringify(restored.map((l) => l.limit))}`,
    );
  });

  test('concurrent solve() calls: a busy type does not hold back another', async () => {
    const r = run(
      { platform: { outages: [{ type: 'recaptchaV2', fromMs: 0, toMs: 3_600_000 }] } },
      [],
    );
    const blocked = Array.from({ length: 30 }, (_, i) =>
      r.client.solve(v2(i)).then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? 'error',
      ),
    );
    const images = Array.from({ length: 60 }, (_, i) => r.client.solve(image(i)));
    const started = r.clock.now();
    await r.clock.runUntil(Promise.all(images));
    const imagesMs = r.clock.now() - started;
    // 60 image tasks on 20 threads at about 20 s: about a minute, not the hour of the outage.
    assert.ok(imagesMs < 180_000, `${imagesMs} ms for the image tasks`);
    assert.equal(r.simulator.stats().byType.recaptchaV2?.accepted ?? 0, 0);
    await r.client.close();
    const outcomes = await Promise.all(blocked);
    assert.ok(outcomes.every((o) => o === 'ABORTED' || o === 'error' || o !== 'ok'));
  });

  test('capacityWaitMs bounds the wait of a busy type with CAPACITY_WAIT, nothing submitted', async () => {
    const r = run(
      { platform: { outages: [{ type: 'recaptchaV2', fromMs: 0, toMs: 3_600_000 }] } },
      [v2(1), image(2)],
      { capacityWaitMs: 60_000 },
    );
    await r.finish();
    assert.deepEqual(r.failures, ['CAPACITY_WAIT']);
    assert.equal(r.solved, 1);
    assert.equal(r.simulator.stats().byType.recaptchaV2?.accepted ?? 0, 0);
  });

  test('waiting for a busy type does not use up the timeout: a task refused for longer than it is still solved', async () => {
    // reCAPTCHA is refused for 400 s; its timeout is 300 s, which counts only while it is on the service.
    const r = run({ platform: { outages: [{ type: 'recaptchaV2', fromMs: 0, toMs: 400_000 }] } }, [
      v2(1),
      image(2),
    ]);
    const elapsed = await r.finish();
    assert.deepEqual(r.failures, []);
    assert.equal(r.solved, 2);
    assert.ok(elapsed > 400_000, `${elapsed} ms`);
    assert.equal(r.simulator.stats().byType.recaptchaV2?.accepted, 1);
  });

  test('a 10-minute outage of one type on a 2captcha-style service trips none of its bans', async () => {
    // 2captcha bans an account that collects 120 NO_SLOT answers in a minute, platform refusals
    // included: a busy type must be tried a few times a minute, not hammered.
    const r = run(
      {
        profile: '2captcha',
        enforceBans: true,
        platform: { outages: [{ type: 'recaptchaV2', fromMs: 60_000, toMs: 660_000 }] },
      },
      mixed(1200),
      { profile: '2captcha' },
    );
    await r.finish();
    assert.deepEqual(r.failures, []);
    const codes = r.simulator.stats().codes as Record<string, number | undefined>;
    for (const ban of ['MAX_USER_TURN', 'ERROR: 1001', 'ERROR: 1002', 'ERROR: 1003', 'ERROR: 1005'])
      assert.equal(codes[ban], undefined, ban);
    assert.ok(
      (r.simulator.stats().byType.recaptchaV2?.refusedPlatform ?? 0) > 0,
      'the outage refused some submits',
    );
  });
});
