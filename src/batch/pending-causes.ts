import { ApiError } from '../errors/api-error.js';
import { HttpError } from '../errors/http-error.js';
import { NetworkError } from '../errors/network-error.js';
import { codeOf } from './failure-policy.js';

/** Line numbers kept per cause, for the summary (the count covers the rest). */
export const LINES_PER_CAUSE = 5;
/** Distinct causes kept; any further ones are counted together. */
const MAX_CAUSES = 10;
/** A cause is one short phrase of a summary line, not a whole error dump. */
const MAX_CAUSE_LENGTH = 160;
export const OTHER_CAUSES = 'other service errors';

export interface PendingCause {
  cause: string;
  count: number;
  /** The first LINES_PER_CAUSE line numbers left pending by this cause. */
  lines: number[];
}

/**
 * Why lines were left pending: the last error of each line (after the Solver's retries) that
 * left it without a result, grouped by what it says. Bounded: a million lines pending after one
 * outage are one entry with a count and a few line numbers.
 */
export class PendingCauses {
  private readonly byCause = new Map<string, PendingCause>();

  add(line: number, error: unknown): void {
    let cause = describePendingCause(error);
    if (!this.byCause.has(cause) && this.byCause.size >= MAX_CAUSES) cause = OTHER_CAUSES;
    let entry = this.byCause.get(cause);
    if (!entry) {
      entry = { cause, count: 0, lines: [] };
      this.byCause.set(cause, entry);
    }
    entry.count++;
    if (entry.lines.length < LINES_PER_CAUSE) entry.lines.push(line);
  }

  /** Causes by count, most lines first (ties: the cause that came first). */
  list(): PendingCause[] {
    return [...this.byCause.values()].sort((a, b) => b.count - a.count);
  }
}

/**
 * The error that left a line pending, in a few words: its stable code and where it came from
 * (`ECONNREFUSED connecting to 127.0.0.1:1`, `HTTP_404 from in.php`, `ERROR_NO_SLOT_AVAILABLE
 * from in.php`). Never a URL: the key travels in the query string, so no error of this library
 * carries one, and nothing here adds one.
 */
export function describePendingCause(error: unknown): string {
  const code = codeOf(error);
  let text: string;
  if (error instanceof HttpError) {
    const endpoint = /(\S+\.php) did not answer/.exec(error.message)?.[1];
    text = endpoint === undefined ? `${code}: ${error.message}` : `${code} from ${endpoint}`;
  } else if (error instanceof NetworkError) {
    text = `${code}${socketTarget(error.cause) ?? ''}`;
  } else if (error instanceof ApiError) {
    text = `${code} from ${error.endpoint}${error.errorText ? `: ${error.errorText}` : ''}`;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    text = message === '' || message === code ? code : `${code}: ${message}`;
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_CAUSE_LENGTH ? `${line.slice(0, MAX_CAUSE_LENGTH - 1)}…` : line;
}

/** Where a socket error happened, from Node's error fields (` connecting to 127.0.0.1:1`). */
function socketTarget(cause: unknown): string | undefined {
  let current = cause;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const { address, port, hostname } = current as {
      address?: unknown;
      port?: unknown;
      hostname?: unknown;
    };
    if (typeof address === 'string') {
      const host = address.includes(':') ? `[${address}]` : address;
      const at = typeof port === 'number' ? `${host}:${port}` : address;
      return ` connecting to ${at}`;
    }
    if (typeof hostname === 'string') return ` looking up ${hostname}`;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
