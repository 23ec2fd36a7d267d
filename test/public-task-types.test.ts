// The task types the package exports: a task written as one of them, or passed to solve() as a
// literal, is checked by the compiler (`npm run typecheck` compiles this file; every misspelt
// parameter below must stay an error), the solution is typed by method, and uncheckedTask() is
// the one way past the check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  uncheckedTask,
  type GeetestV3Solution,
  type HcaptchaTask,
  type Task,
  type TaskMethod,
  type TurnstileTask,
} from '../src/index.js';
import { PAGE } from './helpers/fixtures.js';
import { virtualSolver } from './helpers/virtual-solver.js';

const SITEKEY = '0x4AAAAAAAC3DHQFLr1GavRN';

test('exported task types catch a misspelt parameter at compile time, and solve as they are', async () => {
  const turnstile: TurnstileTask = { method: 'turnstile', sitekey: SITEKEY, pageurl: PAGE };
  const misspelt: TurnstileTask = {
    method: 'turnstile',
    sitekey: 'x',
    // @ts-expect-error -- "sitekye" is not a Turnstile parameter: the compiler says so.
    sitekye: 'x',
    pageurl: PAGE,
  };
  // @ts-expect-error -- an hCaptcha task without its site key does not compile.
  const missing: HcaptchaTask = { method: 'hcaptcha', pageurl: PAGE };
  const methods: TaskMethod[] = ['turnstile', 'hcaptcha'];
  const tasks: Task[] = [turnstile];
  assert.ok(misspelt && missing && methods.length === 2);
  const { clock, client, simulator } = virtualSolver({ sim: 1, solver: 1 });
  const result = await clock.runUntil(client.solve(tasks[0] as Task));
  const wire = { method: turnstile.method, sitekey: turnstile.sitekey, pageurl: turnstile.pageurl };
  assert.equal(result.solution, simulator.expectedAnswer(wire));
  await client.close();
  simulator.close();
});

test('solve() checks a literal task and types the solution by method', async () => {
  const { clock, client, simulator } = virtualSolver({ sim: 2, solver: 2 });
  const typeChecks = (): void => {
    // @ts-expect-error -- a misspelt parameter in a literal passed to solve() does not compile.
    void client.solve({ method: 'turnstile', sitekye: 'x', pageurl: PAGE });
    // @ts-expect-error -- nor does a misspelt optional one beside the required ones.
    void client.solve({ method: 'turnstile', sitekey: 'x', pageurl: PAGE, acton: 'login' });
    const record: Record<string, unknown> = { method: 'turnstile', sitekey: 'x', pageurl: PAGE };
    // @ts-expect-error -- a plain record is no task: uncheckedTask() says so on purpose.
    void client.solve(record);
    // @ts-expect-error -- solveMany() takes tasks too, not records.
    void client.solveMany([record]);
  };
  assert.equal(typeof typeChecks, 'function'); // compiled, never run: no request is made

  const turnstile = { method: 'turnstile', sitekey: SITEKEY, pageurl: PAGE } as const;
  const token: string = (await clock.runUntil(client.solve(turnstile))).solution;
  assert.equal(token, simulator.expectedAnswer(turnstile));

  const gt = 'f3bf6dbdcf7886856696502e1d55e00c';
  const geetest = client.solve({ method: 'geetest', gt, challenge: 'c1', pageurl: PAGE });
  const answer = (await clock.runUntil(geetest)).solution;
  // @ts-expect-error -- a GeeTest answer is an object, not a string.
  const asText: string = answer;
  const typed: GeetestV3Solution = answer;
  assert.equal(typeof answer.geetest_validate, 'string'); // a documented field, without a cast
  assert.ok(asText && typed.geetest_seccode?.endsWith('|jordan'));
  await client.close();
  simulator.close();
});

test('uncheckedTask() sends parameters the types do not know, validated at run time', async () => {
  const { clock, client, simulator } = virtualSolver({ sim: 3, solver: 3 });
  const params = { method: 'turnstile', sitekey: SITEKEY, pageurl: PAGE, extra: 'x' };
  const result = await clock.runUntil(client.solve(uncheckedTask(params)));
  // Its solution could be either form, as the answer's own type says.
  const solution: string | Record<string, unknown> = result.solution;
  assert.equal(solution, simulator.expectedAnswer(params));
  // Run-time validation still applies: a missing site key fails before any request.
  const broken = uncheckedTask({ method: 'turnstile', pageurl: PAGE });
  await assert.rejects(
    clock.runUntil(client.solve(broken)),
    /missing required parameter "sitekey"/,
  );
  await client.close();
  simulator.close();
});
