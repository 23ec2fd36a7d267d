import { createHash } from 'node:crypto';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import { validateTask } from '../protocol/validate-task.js';
import type { InputLine } from './line-reader.js';

/** The `id` a result line carries: the input's own, or the line number. */
export type RecordId = string | number;

/** A line that holds a task the service can be sent. */
export interface TaskLine {
  lineNo: number;
  hash: string;
  id: RecordId;
  method: string;
  /** The task's parameters, without `id`. */
  task: Record<string, unknown>;
}

/** A line that cannot be sent: its result is an INVALID_TASK error record. */
export interface BadLine {
  lineNo: number;
  hash: string;
  id: RecordId;
  /** `line 7: userrecaptcha task is missing required parameter "googlekey"`. */
  message: string;
}

/**
 * Identifies a line's content, so a journal can tell the input it was made for from a changed
 * one. 128 bits of SHA-256 are plenty against accidents; nobody forges a line against themselves.
 */
export function hashLine(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Reads one line: a JSON object with the API's own parameter names and an optional `id`.
 * Validation is validateTask's, so the message names the missing or malformed parameter.
 */
export function parseTaskLine(line: InputLine, hash = hashLine(line.text)): TaskLine | BadLine {
  const { lineNo } = line;
  const bad = (message: string, id: RecordId = lineNo): BadLine => ({
    lineNo,
    hash,
    id,
    message: `line ${lineNo}: ${message}`,
  });
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return bad(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad('not a JSON object; each line must be one task such as {"method":"turnstile",...}');
  }
  const { id: rawId, ...task } = value as Record<string, unknown>;
  if (rawId !== undefined && typeof rawId !== 'string' && typeof rawId !== 'number') {
    return bad('"id" must be a string or a number');
  }
  const id = rawId ?? lineNo;
  try {
    const valid = validateTask(task);
    return { lineNo, hash, id, method: String(valid.method), task };
  } catch (error) {
    if (error instanceof InvalidTaskError) return bad(error.message, id);
    throw error;
  }
}

/** The journal's key of a line. */
export function keyOf(line: { lineNo: number; hash: string }): { line: number; hash: string } {
  return { line: line.lineNo, hash: line.hash };
}

export function isBadLine(line: TaskLine | BadLine): line is BadLine {
  return 'message' in line;
}
