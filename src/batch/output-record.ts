import type { SolveResult } from '../solver/types.js';
import type { RecordId } from './task-line.js';

/** A solved line, as written to the output. */
export interface OkRecord {
  id: RecordId;
  status: 'ok';
  solution: SolveResult['solution'];
  taskId: string;
  /** Extra answer fields (user agent, cookies...), only when the service sent any. */
  extra?: Record<string, unknown>;
  elapsedMs: number;
}

/** A line that ended without an answer. `error` is a stable code, as the service or library names it. */
export interface ErrorRecord {
  id: RecordId;
  status: 'error';
  error: string;
  message: string;
}

export type OutputRecord = OkRecord | ErrorRecord;

/** Codes the batch itself gives (the others come from the service or the library). */
export const BATCH_CODES = Object.freeze({
  invalidTask: 'INVALID_TASK',
});

export function okRecord(id: RecordId, result: SolveResult): OkRecord {
  const { solution, taskId, extra } = result;
  const elapsedMs = Math.max(0, Math.round(result.elapsedMs));
  // Built field by field, in the documented order; nothing else a result carries is printed.
  return Object.keys(extra).length > 0
    ? { id, status: 'ok', solution, taskId, extra, elapsedMs }
    : { id, status: 'ok', solution, taskId, elapsedMs };
}

export function errorRecord(id: RecordId, error: string, message: string): ErrorRecord {
  return { id, status: 'error', error, message: message.replace(/\s*\n\s*/g, ' ').trim() };
}

/** What the summary needs of a record already serialised (a resumed `done` line). */
export function recordOutcome(text: string): { ok: boolean; code: string } {
  try {
    const parsed = JSON.parse(text) as { status?: unknown; error?: unknown };
    if (parsed.status === 'ok') return { ok: true, code: 'ok' };
    return { ok: false, code: typeof parsed.error === 'string' ? parsed.error : 'UNKNOWN' };
  } catch {
    return { ok: false, code: 'UNKNOWN' };
  }
}
