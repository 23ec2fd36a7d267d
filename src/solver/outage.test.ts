// A service that fails every request, in each form an outage takes: the traffic stays bounded
// however many tasks are out, and it resumes at once when the service answers again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BreakerChange } from '../flow/outage-breaker.js';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom } from '../time/random.js';
import {
  json,
  KEY,
  ScriptedTransport,
  text,
  V2,
  type Script,
} from './scripted-transport.test-helper.js';
import { Solver } from './solver.js';

const HTML = text('<html><body><h1>502 Bad Gateway</h1></body></html>', 200, {
  'content-type': 'text/html',
});

function taskIds(): () => ReturnType<typeof json> {
  let next = 1000;
  return () => json({ status: 1, request: String(next++) });
}

async function run(
  transport: ScriptedTransport,
  tasks: number,
  timeoutMs: number,
  report?: (figures: string) => void,
) {
  const solver = new Solver({
    key: KEY,
    transport,
    clock: transport.clock,
    random: seededRandom(3),
    discoverThreads: false,
    timeoutMs: { token: timeoutMs },
  });
  const outages: BreakerChange[] = [];
  solver.on('outage', (change) => outages.push(change));
  const results = Array.from({ length: tasks }, () =>
    solver.solve(V2).then(
      () => 'ok',
      (error: { code?: string }) => String(error.code),
    ),
  );
  const done = Promise.all(results);
  const codes = await transport.clock.runUntil(done);
  await solver.close();
  const count = (endpoint: string) => transport.seen.filter((r) => r.endpoint === endpoint).length;
  const figures = { codes, outages, submits: count('in.php'), polls: count('res.php') };
  report?.(
    `${figures.submits} submits, ${figures.polls} polls, done at ${transport.clock.now()} ms, ${outages.length} outage events`,
  );
  return figures;
}

describe('an outage of the service', () => {
  test('HTML pages answering every poll: 20 tasks over 300 s poll a few dozen times, not thousands', async (ctx) => {
    const t = new ScriptedTransport(new ManualClock(0))
      .script('in.php', taskIds())
      .script('res.php:get', HTML);
    const r = await run(t, 20, 300_000, (f) => ctx.diagnostic(f));
    assert.deepEqual(new Set(r.codes), new Set(['TIMEOUT']));
    // One trial a pause (growing to 15-30 s) after the first round's failures.
    assert.ok(r.polls <= 80, `${r.polls} polls`);
    assert.ok(r.outages.some((o) => o.state === 'open'));
    const longest = Math.max(...r.outages.map((o) => o.pauseMs));
    assert.ok(longest >= 15_000 && longest <= 30_000, `longest pause ${longest} ms`);
  });

  test('resets on every submit of a thread-billed service: the resubmits stay few', async (ctx) => {
    const reset: Script = { reset: true };
    const t = new ScriptedTransport(new ManualClock(0)).script('in.php', reset);
    const r = await run(t, 20, 60_000, (f) => ctx.diagnostic(f));
    // Every task ends as its lost answers or its tries run out (a try the failed trial stood for
    // is not sent) or its timeout passes; none is sent five times in a burst: after the first
    // round the account waits and tries one at a time.
    assert.ok(r.submits <= 40, `${r.submits} submits`);
    const endings = new Set(['AMBIGUOUS_SUBMIT', 'TIMEOUT', 'ECONNRESET']);
    assert.ok(
      r.codes.every((code) => endings.has(code)),
      r.codes.join(),
    );
  });

  test('the service back: the waiting requests go on at once and the tasks are solved', async (ctx) => {
    let failing = true;
    const t = new ScriptedTransport(new ManualClock(0))
      .script('in.php', taskIds())
      .script('res.php:get', () => (failing ? HTML : json({ status: 1, request: 'TOKEN' })));
    t.clock.sleep(60_000).then(
      () => (failing = false),
      () => undefined,
    );
    const r = await run(t, 20, 300_000, (f) => ctx.diagnostic(f));
    assert.deepEqual(
      r.codes,
      Array.from({ length: 20 }, () => 'ok'),
    );
    assert.equal(r.outages[r.outages.length - 1]?.state, 'closed');
    // The last pause began before 60 s and lasted at most 30 s: all done by about 90 s.
    assert.ok(t.clock.now() <= 100_000, `done at ${t.clock.now()} ms`);
  });
});
