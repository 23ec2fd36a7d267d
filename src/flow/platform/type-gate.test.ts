import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flushMicrotasks, ManualClock } from '../../time/manual-clock.js';
import { TypeGate, type TypeBusyInfo, type TypeOpenInfo, type TypeTicket } from './type-gate.js';

function gate() {
  const clock = new ManualClock();
  const busy: TypeBusyInfo[] = [];
  const open: TypeOpenInfo[] = [];
  const g = new TypeGate('userrecaptcha', clock, () => 0.999999, {
    busy: (e) => busy.push(e),
    open: (e) => open.push(e),
  });
  return { clock, g, busy, open };
}

/** Takes `n` tickets whose submits are accepted. */
async function hold(g: TypeGate, n: number): Promise<TypeTicket[]> {
  const out: TypeTicket[] = [];
  for (let i = 0; i < n; i++) {
    const t = await g.admit();
    t.accepted();
    out.push(t);
  }
  return out;
}

/** A ticket promise's state without waiting for it. */
function settled<T>(p: Promise<T>): { done: boolean; value?: T } {
  const state: { done: boolean; value?: T } = { done: false };
  p.then(
    (v) => Object.assign(state, { done: true, value: v }),
    () => Object.assign(state, { done: true }),
  );
  return state;
}

describe('TypeGate', () => {
  test('refused right after acceptances: a cap at the count held, waiters go as the type ends tasks', async () => {
    const { g, busy } = gate();
    const held = await hold(g, 20);
    (await g.admit()).refused();
    assert.equal(g.status().cap, 20);
    assert.equal(g.busy, false);
    assert.equal(busy.at(-1)?.reason, 'capped');
    const next = settled(g.admit());
    await flushMicrotasks();
    assert.equal(next.done, false, 'at its cap the type waits');
    held[0]?.release();
    await flushMicrotasks();
    assert.equal(next.done, true, 'one of its tasks ended: the next goes');
  });

  test('a cap read too high comes down one refusal at a time; refused with none held: busy', async () => {
    const { g } = gate();
    const held = await hold(g, 10);
    (await g.admit()).refused(); // cap at 10
    held[0]?.release();
    (await g.admit()).refused(); // 9 held: the platform takes 9 now
    assert.equal(g.status().cap, 9);
    assert.equal(g.busy, false);
    for (const t of held.slice(1)) t.release();
    (await g.admit()).refused(); // none of it held, nothing accepted since: all workers busy
    assert.equal(g.busy, true);
    assert.equal(g.status().cap, undefined, "the cap read on the way was the spell's onset");
  });

  test('busy: one try at a time on the vendor backoff, the first acceptance opens it for all', async () => {
    const { clock, g, busy, open } = gate();
    (await g.admit()).refused(); // nothing held: straight to busy
    assert.equal(g.busy, true);
    assert.equal(busy.at(-1)?.reason, 'busy');
    assert.equal(busy.at(-1)?.retryInMs, 3_000);
    const a = settled(g.admit());
    const b = settled(g.admit());
    await clock.advance(2_999);
    assert.equal(a.done, false);
    await clock.advance(1);
    assert.equal(a.done, true, 'the first waiter is the try');
    assert.equal(b.done, false, 'only one try at a time');
    a.value?.refused();
    assert.equal(busy.at(-1)?.retryInMs, 4_500);
    await clock.advance(4_500);
    // b is the next try now; accepted, the type opens for every waiter.
    assert.equal(b.done, true);
    b.value?.accepted();
    assert.equal(g.busy, false);
    assert.equal(open.length, 1);
    assert.equal(open[0]?.busyForMs, 7_500);
  });

  test('a ticket handed out before the type turned busy is stale; the try is not', async () => {
    const { g } = gate();
    const probe = await g.admit();
    const early = await g.admit();
    probe.refused(); // nothing held or sent before it: straight to busy
    assert.equal(g.busy, true);
    assert.equal(early.valid, false);
  });

  test('a long outage costs a handful of tries a minute', async () => {
    const { clock, g } = gate();
    (await g.admit()).refused();
    let tries = 0;
    const stopAt = clock.now() + 600_000;
    for (;;) {
      const t = g.admit();
      await clock.runUntil(t);
      if (clock.now() > stopAt) break;
      (await t).refused();
      tries++;
    }
    assert.ok(tries <= 26, `${tries} tries in 10 minutes`);
    assert.ok(tries >= 18, `${tries} tries in 10 minutes: a reopened type must be found soon`);
  });

  test('at its cap, a probe one higher goes after a few of its tasks end; accepted, the cap climbs', async () => {
    const { g } = gate();
    const held = await hold(g, 5);
    (await g.admit()).refused();
    assert.equal(g.status().cap, 5);
    for (let i = 0; i < 5; i++) {
      const waiting = g.admit();
      held.shift()?.release();
      const t = await waiting;
      t.accepted();
      held.push(t);
    }
    const probe = await g.admit();
    probe.accepted();
    assert.equal(g.status().cap, 6);
  });

  test('a probe above the cap refused along with an earlier refusal still lets the cap be probed again', async () => {
    const { g } = gate();
    const held = await hold(g, 5);
    (await g.admit()).refused();
    /** Runs tasks through the type at its cap until a probe above it is handed out. */
    const cycleUntilProbe = async (): Promise<TypeTicket | undefined> => {
      for (let i = 0; i < 40; i++) {
        // Below its cap a turn comes at once; at it, only when one of its tasks ends.
        const waiting = settled(g.admit());
        await flushMicrotasks();
        if (!waiting.done) held.shift()?.release();
        await flushMicrotasks();
        const t = waiting.value;
        assert.ok(t);
        if (t.aboveCap) return t;
        t.accepted();
        held.push(t);
      }
      return undefined;
    };
    const probe = await cycleUntilProbe();
    assert.ok(probe, 'a first probe above the cap');
    // Two of its tasks end: a normal submit goes, and its refusal is heard before the probe's.
    held.shift()?.release();
    held.shift()?.release();
    const normal = await g.admit();
    normal.refused();
    probe.refused();
    assert.ok(await cycleUntilProbe(), 'the cap is probed again');
  });

  test('turns waiting for an account thread are not on their way: a cap counts only those sent', async () => {
    const { g } = gate();
    await hold(g, 4);
    // Three turns granted by the type, still queued for account threads: not sent.
    const queued = [];
    for (let i = 0; i < 3; i++) queued.push(await g.admit());
    const t = await g.admit();
    t.sent();
    t.refused();
    assert.equal(g.status().cap, 4, 'the four on the service, not the three still queued');
    assert.ok(
      queued.every((turn) => !turn.valid),
      'turns above the new cap go back unsent, in order',
    );
  });

  test('refused with one or two of it held is a burst, not a cap of one or two', async () => {
    const { g, busy } = gate();
    await hold(g, 2);
    (await g.admit()).refused();
    assert.equal(g.busy, true);
    assert.equal(g.status().cap, undefined);
    assert.equal(busy.at(-1)?.reason, 'busy');
  });

  test('a capped type refused with under half its cap held: its workers went, a busy spell', async () => {
    const { g } = gate();
    const held = await hold(g, 16);
    (await g.admit()).refused(); // cap at 16
    assert.equal(g.status().cap, 16);
    for (const t of held.slice(0, 9)) t.release();
    (await g.admit()).refused(); // 7 held: not "the cap was a little high"
    assert.equal(g.busy, true);
    assert.equal(g.status().cap, undefined);
  });

  test('a busy type reopens in slow start: two more waiters per acceptance, not all at once', async () => {
    const { clock, g } = gate();
    (await g.admit()).refused(); // busy
    const waiting = Array.from({ length: 20 }, () => settled(g.admit()));
    await clock.advance(3_000);
    const gone = () => waiting.filter((w) => w.done).length;
    assert.equal(gone(), 1, 'the try');
    waiting[0]?.value?.accepted(); // open, one of it on the service: a window of two
    await flushMicrotasks();
    assert.equal(gone(), 2);
    waiting[1]?.value?.accepted();
    await flushMicrotasks();
    assert.equal(gone(), 4, 'each acceptance lets two more go: those on their way double');
    waiting[2]?.value?.accepted();
    waiting[3]?.value?.accepted();
    await flushMicrotasks();
    assert.equal(gone(), 8);
  });
});
