import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortError } from '../errors/abort-error.js';
import { NetworkError } from '../errors/network-error.js';
import { ManualClock } from '../time/manual-clock.js';
import type { ApiRequest } from '../transport/types.js';
import type { FaultOptions } from './options.js';
import { Simulator } from './simulator.js';

function setup(faults: FaultOptions) {
  const clock = new ManualClock(0);
  const sim = new Simulator(
    { faults, solveTime: { kind: 'fixed', ms: 1000 }, unsolvableRate: 0 },
    { clock },
  );
  const transport = sim.transport();
  let n = 0;
  const submit = (): ApiRequest => ({
    endpoint: 'in.php',
    httpMethod: 'POST',
    params: {
      key: sim.defaultKey,
      method: 'turnstile',
      sitekey: 's',
      pageurl: `https://e.com/${n++}`,
      json: '1',
    },
  });
  return { clock, sim, transport, submit };
}

describe('simulator faults (in-process transport)', () => {
  it('passes clean requests through unchanged', async () => {
    const { transport, submit } = setup({});
    const res = await transport.send(submit());
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { status: number }).status, 1);
  });

  it('throws NetworkError ECONNRESET for a reset before processing: no task exists', async () => {
    const { sim, transport, submit } = setup({ reset: 1, afterProcessing: 0 });
    await assert.rejects(transport.send(submit()), (e: unknown) => {
      assert.ok(e instanceof NetworkError);
      assert.equal(e.code, 'ECONNRESET');
      assert.equal(e.mayHaveReachedServer, true);
      return true;
    });
    assert.equal(sim.stats().acceptedSubmits, 0);
    assert.equal(sim.stats().faults.resetBefore, 1);
  });

  it('loses the answer of a reset after processing: the task exists and holds a slot', async () => {
    const { sim, transport, submit } = setup({ reset: 1, afterProcessing: 1 });
    await assert.rejects(transport.send(submit()), NetworkError);
    const s = sim.stats();
    assert.equal(s.acceptedSubmits, 1);
    assert.equal(s.slotsInUse, 1);
    assert.equal(s.faults.resetAfter, 1);
  });

  it('answers an nginx 502 page', async () => {
    const { sim, transport, submit } = setup({ html502: 1 });
    const res = await transport.send(submit());
    assert.equal(res.status, 502);
    assert.match(res.body, /<html>[\s\S]*502 Bad Gateway/);
    assert.equal(sim.stats().faults.html502, 1);
  });

  it('cuts JSON answers in half', async () => {
    const { transport, submit } = setup({ truncatedJson: 1 });
    const res = await transport.send(submit());
    assert.equal(res.status, 200);
    assert.throws(() => JSON.parse(res.body) as unknown, SyntaxError);
    assert.ok(res.body.startsWith('{"status":1'));
  });

  it('holds answers back by slowMs on the injected clock, and the caller can abort', async () => {
    const { clock, transport, submit } = setup({ slowRate: 1, slowMs: 30_000 });
    let done = false;
    const pending = transport.send(submit()).then((r) => {
      done = true;
      return r;
    });
    await clock.advance(29_999);
    assert.equal(done, false);
    await clock.advance(1);
    assert.equal((await pending).status, 200);
    const ac = new AbortController();
    const aborted = transport.send(submit(), { signal: ac.signal });
    await clock.advance(10);
    ac.abort(new Error('bye'));
    await assert.rejects(aborted, AbortError);
  });

  it('mixes faults at their rates, deterministically per seed', async () => {
    const run = async () => {
      const { transport, submit } = setup({ html502: 0.2, reset: 0.2 });
      const out: string[] = [];
      for (let i = 0; i < 200; i++) {
        out.push(
          await transport.send(submit()).then(
            (r) => String(r.status),
            () => 'reset',
          ),
        );
      }
      return out;
    };
    const a = await run();
    assert.deepEqual(a, await run());
    const count = (s: string) => a.filter((x) => x === s).length;
    assert.ok(count('502') > 20 && count('502') < 60, `502s ${count('502')}`);
    assert.ok(count('reset') > 20 && count('reset') < 60, `resets ${count('reset')}`);
  });

  it('does not change solve times when faults are switched on', async () => {
    const times = async (faults: FaultOptions) => {
      const clock = new ManualClock(0);
      const sim = new Simulator({ faults, seed: 9 }, { clock });
      const t = sim.transport();
      const out: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await t.send({
          endpoint: 'in.php',
          httpMethod: 'GET',
          params: {
            key: sim.defaultKey,
            method: 'turnstile',
            sitekey: 's',
            pageurl: `https://e/${i}`,
          },
        });
        out.push(sim.inspectTask(res.body.slice(3))?.doneAt ?? -1);
      }
      return out;
    };
    assert.deepEqual(await times({}), await times({ truncatedJson: 0.5 }));
  });
});
