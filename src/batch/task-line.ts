import { createHash } from 'node:crypto';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import { uncheckedTask, type UncheckedTask } from '../protocol/tasks/unchecked-task.js';
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
  /** The task's parameters, without `id`; checked at run time only, since they come as JSON. */
  task: UncheckedTask;
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
export function parseTaskLine(
  line: InputLine,
  hash = hashLine(line.text),
  allowUnknownMethods = false,
): TaskLine | BadLine {
  const { lineNo } = line;
  const bad = (message: string, id: RecordId = lineNo): BadLine => ({
    lineNo,
    hash,
    id,
    message: `line ${lineNo}: ${message}`,
  });
  if (line.notUtf8 === true) {
    return bad('not valid UTF-8 (save the file as UTF-8); nothing was sent');
  }
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
    const valid = validateTask(task, { allowUnknownMethods });
    return { lineNo, hash, id, method: String(valid.method), task: uncheckedTask(valid) };
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

/** The bad line that replaces a line whose id an earlier line (`first`) already holds. */
export function duplicateLine(line: TaskLine | BadLine, first: number): BadLine {
  const { lineNo, hash, id } = line;
  const message = `line ${lineNo}: duplicate id ${JSON.stringify(id)} (first on line ${first})`;
  return { lineNo, hash, id, message };
}

/**
 * The ids a run's lines have given their records so far, to refuse a second line with the same
 * one: its result would be indistinguishable from the first's. Ids compare as a result record
 * writes them (1 and "1" differ; Map's SameValueZero matches JSON for the numbers JSON.parse
 * gives). A line without an id uses its line number, which can collide with another line's
 * explicit numeric id only.
 *
 * Memory (measured, Node 20, 1,000,000 lines): a line whose id is its own line number (no id,
 * or a bad line) costs one bit; any other id is a Map entry that keeps the id alive: about 29
 * bytes a line for numeric ids, 53 for short string ids ("t123456"), so about 53 MB for a
 * million-line file with string ids, for the whole run. Acceptable for now; beyond ~10M lines,
 * keep a fixed-size digest of each id instead of the id itself.
 */
export class IdRegistry {
  private readonly explicit = new Map<RecordId, number>();
  /** Bit n: line n's record carries the id n (its own line number). */
  private own = new Uint8Array(1024);

  /**
   * Records `id` for line `lineNo` (lines come in increasing order): the earlier line that holds
   * it already, or undefined (then this line holds it).
   */
  claim(lineNo: number, id: RecordId): number | undefined {
    const first = this.explicit.get(id);
    if (first !== undefined) return first;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 1 && id < lineNo && this.has(id)) {
      return id;
    }
    if (id === lineNo) this.add(lineNo);
    else this.explicit.set(id, lineNo);
    return undefined;
  }

  private has(lineNo: number): boolean {
    const byte = lineNo >>> 3;
    return byte < this.own.length && ((this.own[byte] ?? 0) & (1 << (lineNo & 7))) !== 0;
  }

  private add(lineNo: number): void {
    const byte = lineNo >>> 3;
    if (byte >= this.own.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.own.length * 2));
      grown.set(this.own);
      this.own = grown;
    }
    this.own[byte] = (this.own[byte] ?? 0) | (1 << (lineNo & 7));
  }
}
