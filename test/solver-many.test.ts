import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uncheckedTask } from '../src/index.js';
import { encodeSubmit } from '../src/protocol/index.js';
import { Simulator } from '../src/simulator/index.js';
import { Solver } from '../src/solver/solver.js';
import { ManualClock } from '../src/time/manual-clock.js';
import { seededRandom } from '../src/time/random.js';

const v2 = (i: number) => ({
  method: 'userrecaptcha' as const,
  googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
  pageurl: `https://example.com/${i}`,
});

function setup(threads = 10) {
  const clock = new ManualClock(1_700_000_000_000);
  const sim = new Simulator(
    { defaultAccount: { threads }, unsolvableRate: 0, batchPoll: true, seed: 5 },
    { clock },
  );
  const solver = new Solver({
    key: sim.defaultKey,
    transport: sim.transport(),
    clock,
    random: seededRandom(9),
  });
  return { clock, sim, solver };
}

describe('Solver.solveMany', () => {
  test('pulls input only as room appears: open tasks stay bounded whatever the input size', async () => {
    const { clock, solver, sim } = setup(10);
    let pulled = 0;
    let finished = 0;
    let maxOpen = 0;
    let maxLimit = solver.flow.limit;
    solver.on('limit-changed', (e) => (maxLimit = Math.max(maxLimit, e.limit)));
    function* input() {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        maxOpen = Math.max(maxOpen, pulled - finished);
        yield v2(i);
      }
    }
    await clock.runUntil(
      (async () => {
        for await (const item of solver.solveMany(input())) {
          assert.equal(item.ok, true);
          if (++finished === 300) break;
        }
      })(),
    );
    assert.ok(maxLimit <= 14, `limit reached ${maxLimit}`);
    assert.ok(
      maxOpen <= 2 * maxLimit + 16 + 1,
      `open tasks reached ${maxOpen} with a limit of ${maxLimit}`,
    );
    assert.ok(pulled < 400, `pulled ${pulled} lines for 300 results`);
    await solver.close();
    assert.ok(sim.stats().acceptedSubmits <= pulled);
  });

  test('one bad task yields one failed item and the rest go on', async () => {
    const { clock, solver } = setup(5);
    const tasks = [v2(1), uncheckedTask({ method: 'userrecaptcha', pageurl: 'https://x' }), v2(2)];
    const items = await clock.runUntil(
      (async () => {
        const out = [];
        for await (const item of solver.solveMany(tasks)) out.push(item);
        return out;
      })(),
    );
    assert.equal(items.length, 3);
    const bad = items.find((i) => !i.ok);
    assert.equal(bad?.index, 1);
    assert.equal((bad as { error: { parameter?: string } }).error.parameter, 'googlekey');
    await solver.close();
  });
});

describe('Solver.collect', () => {
  test('follows a task submitted earlier without submitting it again', async () => {
    const { clock, sim, solver } = setup(5);
    const task = v2(42);
    const response = await sim.handle(encodeSubmit(task, sim.defaultKey));
    const taskId = String((JSON.parse(response.body) as { request: number }).request);
    const result = await clock.runUntil(
      solver.collect(taskId, 'userrecaptcha', { submittedAt: clock.now() }),
    );
    assert.equal(result.taskId, taskId);
    assert.equal(result.solution, sim.expectedAnswer({ ...task, key: sim.defaultKey }));
    assert.equal(sim.stats().acceptedSubmits, 1);
    assert.equal(sim.stats().duplicateSubmits, 0);
    await solver.close();
  });
});
