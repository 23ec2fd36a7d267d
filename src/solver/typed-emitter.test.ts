import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { TypedEmitter } from './typed-emitter.js';

interface Events {
  tick: { n: number };
  'listener-error': { event: string; error: unknown };
}

test("a throwing listener does not stop the others; its error goes to 'listener-error'", () => {
  const emitter = new TypedEmitter<Events>();
  const seen: number[] = [];
  const reports: Array<{ event: string; error: unknown }> = [];
  const bug = new Error('listener bug');
  emitter.on('tick', () => {
    throw bug;
  });
  emitter.on('tick', ({ n }) => seen.push(n));
  emitter.on('listener-error', (report) => reports.push(report));
  emitter.emit('tick', { n: 1 });
  assert.deepEqual(seen, [1]);
  assert.deepEqual(reports, [{ event: 'tick', error: bug }]);
});

test("with no 'listener-error' listener the error is thrown again on its own, after emit returns", () => {
  const module = fileURLToPath(new URL('./typed-emitter.ts', import.meta.url));
  const script = `
    const { TypedEmitter } = await import(${JSON.stringify(module)});
    const emitter = new TypedEmitter();
    emitter.on('tick', () => { throw new Error('listener bug 7'); });
    emitter.emit('tick', {});
    console.log('emit returned');
  `;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  assert.equal(run.stdout, 'emit returned\n');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /listener bug 7/);
});
