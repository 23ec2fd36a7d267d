// The task types the package exports: a task written as one of them is checked by the compiler
// (`npm run typecheck` compiles this file; a misspelt parameter below must stay an error), and the
// typed task solves as it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HcaptchaTask, Task, TaskMethod, TurnstileTask } from '../src/index.js';
import { PAGE } from './helpers/fixtures.js';
import { virtualSolver } from './helpers/virtual-solver.js';

test('exported task types catch a misspelt parameter at compile time, and solve as they are', async () => {
  const turnstile: TurnstileTask = {
    method: 'turnstile',
    sitekey: '0x4AAAAAAAC3DHQFLr1GavRN',
    pageurl: PAGE,
  };
  // @ts-expect-error -- "sitekye" is not a Turnstile parameter: the compiler says so.
  const misspelt: TurnstileTask = { method: 'turnstile', sitekye: 'x', pageurl: PAGE };
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
