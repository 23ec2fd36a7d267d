// Shared pieces of the `captchaai batch` integration tests: task files, reading results back,
// and the invariants every run must keep.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteJournalStore } from '../../src/batch/sqlite-journal-store.js';
import type { LineState } from '../../src/batch/journal-store.js';
import { ChildOutput, spawnCli } from './cli.js';
import { GOOGLEKEY } from './fixtures.js';
import { SECRET_KEY, type TestSimulator } from './simulator.js';

/** Poll fast and print nothing but results: the simulator's timeScale makes solves short. */
export const BATCH_FAST = ['--first-poll-delay', '50', '--poll-interval', '50', '--quiet'];

export type TaskParams = Record<string, string>;

/** `n` distinct token tasks of mixed methods (distinct, so the simulator can spot duplicates). */
export function distinctTasks(n: number, tag = 't'): TaskParams[] {
  return Array.from({ length: n }, (_, i) => {
    const pageurl = `https://example.com/${tag}/${i}`;
    switch (i % 3) {
      case 0:
        return { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl };
      case 1:
        return { method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl };
      default:
        return { method: 'hcaptcha', sitekey: '10000000-ffff-ffff-ffff-000000000001', pageurl };
    }
  });
}

/** Writes one JSON value (or raw text) per line. */
export function writeJsonl(path: string, lines: ReadonlyArray<object | string>): void {
  writeFileSync(
    path,
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
  );
}

export interface ResultRecord {
  id: string | number;
  status: 'ok' | 'error';
  solution?: unknown;
  taskId?: string;
  error?: string;
  message?: string;
}

/** Every result line of an output file; each must be whole JSON (a cut line is a bug). */
export function readRecords(path: string): ResultRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ResultRecord);
}

/** Each of `ids` has exactly one result line, and there is no other. */
export function assertExactlyOnce(
  records: readonly ResultRecord[],
  ids: ReadonlyArray<string | number>,
): void {
  const seen = new Map<string | number, number>();
  for (const r of records) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(twice, [], `lines with two results: ${twice.join(', ')}`);
  const missing = ids.filter((id) => !seen.has(id));
  assert.deepEqual(missing, [], `lines without a result: ${missing.join(', ')}`);
  assert.equal(records.length, ids.length);
}

/** The journal's rows by state (opened after the child has exited: the journal locks). */
export function journalCounts(path: string): Record<LineState, number> {
  const store = new SqliteJournalStore(path);
  try {
    return store.counts();
  } finally {
    store.close();
  }
}

/** Polls `check` until it holds; fails after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A small seeded PRNG for kill delays, so a failing schedule can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Starts a batch and kills it with SIGKILL once its --out file holds `records` results (the run
 * holds its journal locked, so the output is what can be watched); more tasks are on the service
 * by then.
 */
export async function killWhenWritten(
  args: readonly string[],
  out: string,
  records: number,
): Promise<void> {
  const child = spawnCli(args);
  const watched = new ChildOutput(child);
  const written = (): number => {
    try {
      return readRecords(out).length;
    } catch {
      return 0;
    }
  };
  await waitUntil(
    () => written() >= records || child.exitCode !== null,
    20_000,
    'the first answers',
  );
  child.kill('SIGKILL');
  await watched.exit();
}

/**
 * Starts a batch against a test simulator and kills it with SIGKILL at a random moment after it
 * got one more task accepted: mid-submit, mid-poll, or between an answer and its journal write.
 */
export async function killAfterNextAccept(
  target: TestSimulator,
  args: readonly string[],
  env: Record<string, string>,
  delayMs: number,
): Promise<void> {
  const before = target.sim.stats(SECRET_KEY).acceptedSubmits;
  const child = spawnCli(args, { env });
  const watched = new ChildOutput(child);
  await waitUntil(
    () => target.sim.stats(SECRET_KEY).acceptedSubmits > before || child.exitCode !== null,
    15_000,
    'the child to submit',
  );
  await sleep(delayMs);
  child.kill('SIGKILL');
  await watched.exit();
}
