// The benchmark harness on one small virtual-time scenario: its numbers must be sane and add up
// to the simulator's own counters, and a seed must reproduce a run exactly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runVirtual } from '../bench/harness/run-virtual.js';
import { boundFor } from '../bench/metrics/bound.js';
import { meanSolveMs } from '../bench/metrics/mean-solve.js';
import { summarize } from '../bench/metrics/summarize.js';
import { catalog, s1 } from '../bench/scenarios/catalog.js';

const SCENARIO = s1(5, false, 100);

describe('bench harness, S1 with 5 slots and 100 tasks in virtual time', () => {
  for (const client of ['ours', 'vendor@L*'] as const) {
    test(`${client}: the numbers are sane and add up to the simulator's counters`, async () => {
      const raw = await runVirtual(SCENARIO, client, 1);
      const r = summarize(raw);
      // 5 slots / 20 s mean solve time, from the simulator's settings.
      assert.ok(Math.abs(r.bound - 0.25) < 1e-9, `bound ${r.bound}`);
      assert.ok(r.efficiency > 0 && r.efficiency <= 1.2, `efficiency ${r.efficiency}`);
      assert.ok(r.efficiencyWhole > 0 && r.efficiencyWhole <= 1.2, `whole ${r.efficiencyWhole}`);
      assert.ok(
        r.efficiencySolving > 0 && r.efficiencySolving <= 1.2,
        `solving ${r.efficiencySolving}`,
      );
      assert.equal(r.solved + r.failed, SCENARIO.tasks);
      const c = r.counts;
      const st = raw.stats;
      assert.equal(c.submits, st.acceptedSubmits);
      assert.equal(c.rejected, st.capacityRejections);
      assert.equal(c.polls, st.polls);
      assert.equal(c.http429, st.http429);
      assert.ok(c.other >= 0);
      assert.equal(c.submits + c.rejected + c.polls + c.http429 + c.other, st.requests);
      // The tap saw every request the simulator counted.
      assert.equal(raw.tap.requests, st.requests);
      const per = r.perSolved;
      const sum = per.submits + per.rejected + per.polls + per.http429 + per.other;
      assert.ok(Math.abs(sum - per.requests) < 1e-9);
      assert.ok(st.acceptedSubmits >= r.solved);
      assert.ok(
        r.latencyS.p50 > 0 && r.latencyS.p50 <= r.latencyS.p95 && r.latencyS.p95 <= r.latencyS.p99,
      );
      assert.ok(r.maxSlotsInUse <= SCENARIO.threads);
      assert.ok(r.window.toS > r.window.fromS);
    });
  }

  test('a seed reproduces a run exactly', async () => {
    for (const client of ['ours', 'vendor@L*'] as const) {
      const a = await runVirtual(SCENARIO, client, 7);
      const b = await runVirtual(SCENARIO, client, 7);
      assert.deepEqual(a.stats, b.stats, client);
      assert.deepEqual(a.outcomes, b.outcomes, client);
    }
  });
});

describe('bench bound', () => {
  test('log-normal mean is median·exp(σ²/2); ids= makes c_min 1.01; throttle windows cost W²/(2T̄P)', () => {
    const byId = new Map(catalog().map((s) => [s.id, s]));
    const s1ids = byId.get('S1-50-ids');
    const s4 = byId.get('S4-rps2-RA');
    const s5 = byId.get('S5-throttle');
    const pareto = byId.get('S2-pareto-1.5');
    assert.ok(s1ids && s4 && s5 && pareto);
    assert.ok(Math.abs(meanSolveMs(s1ids) - 20_000) < 1e-6);
    assert.ok(Math.abs(meanSolveMs(pareto) - 20_000) < 1e-3);
    assert.ok(Math.abs(boundFor(s1ids, 20_000).bound - 2.5) < 1e-9);
    const rate = boundFor(s4, 20_000);
    assert.equal(rate.binding, 'rate');
    assert.ok(Math.abs(rate.bound - 2 / 1.01) < 1e-9);
    const throttled = boundFor(s5, 20_000).bound;
    assert.ok(Math.abs(throttled - 2.5 * (1 - 100 / (2 * 20 * 120))) < 1e-9);
  });
});
