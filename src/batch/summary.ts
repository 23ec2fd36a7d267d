import type { BatchOutcome } from './batch-runner.js';
import type { BatchStats } from './batch-stats.js';
import type { CapacityStats } from './capacity-stats.js';
import { capacityLines } from './capacity-summary.js';
import { MAX_LOST_SUBMITS } from './failure-policy.js';
import { formatDuration, formatRate } from './format.js';
import type { PendingCause } from './pending-causes.js';

/** Request counts as the service saw them (the simulator's own stats, under --sim). */
export interface ServiceCounts {
  requests: number;
  billedSolves: number;
}

export interface SummaryInput {
  outcome: BatchOutcome;
  /** Real time the run took. */
  elapsedMs: number;
  journalPath: string;
  /** The thread limit the Solver ended with. */
  limit: number;
  /** The run's clock runs this many times faster than real time (--sim). @default 1 */
  clockSpeed?: number;
  service?: ServiceCounts | undefined;
  /** Capacity refusals per CAPTCHA type and cause; lines only when there were some. */
  capacity?: CapacityStats | undefined;
}

/**
 * The end-of-run report on stderr: results by status and error code, throughput, requests per
 * solved task, where the time went waiting, which limit refused submits (the account's threads
 * or the platform's workers for a CAPTCHA type) and when, why lines were left pending (each
 * cause with its count and first line numbers), and what a rerun would still do.
 */
export function summaryLines(input: SummaryInput): string[] {
  const { outcome, elapsedMs, journalPath } = input;
  const { stats, leftOpen } = outcome;
  const speed = input.clockSpeed ?? 1;
  const lines: string[] = [];
  if (stats.read > 0 && stats.read === stats.skipped && outcome.reason === 'complete') {
    return [
      `batch: nothing to do: all ${stats.read} lines already have results in ${journalPath} (delete it to run the batch again)`,
    ];
  }
  const codes = [...stats.byCode.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`);
  const earlier = [
    stats.skipped > 0 ? `${stats.skipped} written by an earlier run` : '',
    stats.resumedRecords > 0 ? `${stats.resumedRecords} decided earlier and written now` : '',
    stats.resumedCollects > 0 ? `${stats.resumedCollects} collected without resubmitting` : '',
  ].filter(Boolean);
  lines.push(
    `batch: ${stats.read} lines read; ${stats.ok} ok, ${stats.failed} failed${codes.length > 0 ? ` (${codes.join(', ')})` : ''}` +
      (stats.unresolved > 0 ? `, ${stats.unresolved} pending` : '') +
      (stats.inDoubt > 0 ? `, ${stats.inDoubt} in doubt` : '') +
      (earlier.length > 0 ? `; ${earlier.join(', ')}` : ''),
  );
  const seconds = elapsedMs / 1000;
  const solved = Math.max(1, stats.ok);
  const requests = input.service
    ? `${(input.service.requests / solved).toFixed(2)} (simulator count: ${input.service.requests} requests, ${input.service.billedSolves} billed solves)`
    : `≈${(stats.requestTotal / solved).toFixed(2)} (from solver events: ${stats.requestTotal} requests)`;
  lines.push(
    `throughput: ${formatRate(stats.done / Math.max(seconds, 0.001))} results/s over ${formatDuration(elapsedMs)}; requests per solved task ${requests}`,
  );
  const meanWait = stats.accepted > 0 ? stats.submitWaitMs / stats.accepted / speed : 0;
  const retries = [
    stats.unsolvableRetries > 0 ? `${stats.unsolvableRetries} unsolvable retried` : '',
  ].filter(Boolean);
  lines.push(
    `waiting: ${formatDuration(meanWait)} per task from start to accepted submit (thread limit ${input.limit}); ` +
      `rate-limit pauses ${formatDuration(stats.throttlePauseMs / speed)}; outside --window ${formatDuration(stats.windowWaitMs / speed)}` +
      (retries.length > 0 ? `; ${retries.join(', ')}` : ''),
  );
  if (input.capacity) lines.push(...capacityLines(input.capacity, speed));
  lines.push(...ambiguousLines(stats));
  lines.push(...stats.pendingCauses.list().map(pendingLine));
  lines.push(endLine(outcome, journalPath, leftOpen));
  return lines;
}

/**
 * Submits whose answer was lost (the service may hold their task): how many were sent again, how
 * many lines were left in doubt, and how to settle those.
 */
function ambiguousLines(stats: BatchStats): string[] {
  const { ambiguousResubmits: resubmitted, inDoubt } = stats;
  if (resubmitted === 0 && inDoubt === 0) return [];
  const lines = [
    `batch: ambiguous submits (answer lost; the service may hold the task): ${resubmitted} resubmitted, ${inDoubt} ${inDoubt === 1 ? 'line' : 'lines'} left in doubt`,
  ];
  if (inDoubt > 0) {
    const tooOften = stats.inDoubtLostTooOften;
    const why =
      tooOften === inDoubt
        ? `their submit answers were lost ${MAX_LOST_SUBMITS + 1} times in this run`
        : tooOften > 0
          ? `not resubmitted, to avoid a duplicate task (${tooOften} after ${MAX_LOST_SUBMITS + 1} lost answers)`
          : 'not resubmitted, to avoid a duplicate task';
    lines.push(
      `batch: ${inDoubt} ${inDoubt === 1 ? 'line' : 'lines'} in doubt, pending without a result: ${why} (${where(stats.inDoubtLines, inDoubt)}); ` +
        'to settle them run the same command with --resubmit-ambiguous (which may duplicate a task)',
    );
  }
  return lines;
}

/** `lines 1, 2 and 3 more` */
function where(lines: readonly number[], count: number): string {
  const more = count - lines.length;
  return `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** `batch: 2 lines pending: ECONNREFUSED connecting to 127.0.0.1:1 (lines 1, 2)` */
function pendingLine({ cause, count, lines }: PendingCause): string {
  return `batch: ${count} ${count === 1 ? 'line' : 'lines'} pending: ${cause} (${where(lines, count)})`;
}

function endLine(
  outcome: BatchOutcome,
  journalPath: string,
  left: BatchOutcome['leftOpen'],
): string {
  const { reason, stats } = outcome;
  const rest = [
    left.accepted > 0
      ? `${left.accepted} tasks still on the service (collected, not resubmitted, next time)`
      : '',
    left.notStarted > 0 ? `${left.notStarted} tasks not submitted` : '',
    stats.unresolved > 0 ? `${stats.unresolved} left pending after service errors` : '',
    stats.inDoubt > 0 ? `${stats.inDoubt} in doubt (see above)` : '',
    outcome.inputExhausted ? '' : 'the rest of the input not read',
  ].filter(Boolean);
  const remaining = rest.length > 0 ? rest.join(', ') : 'nothing left';
  if (reason === 'complete' && stats.pending === 0)
    return `done: every line has a result (journal ${journalPath})`;
  if (reason === 'complete' && stats.unresolved === 0) {
    // Only lines in doubt are left: running again as before would leave them in doubt again.
    return `finished with lines in doubt: ${remaining}; run the same command with --resubmit-ambiguous to settle them (journal ${journalPath})`;
  }
  const why: Record<string, string> = {
    complete: 'finished with lines pending',
    interrupted: 'interrupted',
    killed: 'interrupted twice',
    'fatal-account': 'stopped by an account error',
    'input-changed': 'stopped: the input does not match the journal',
    'service-failing': 'stopped: the service keeps failing',
    internal: 'stopped by an internal error',
  };
  return `${why[reason] ?? reason}: ${remaining}; run the same command again to continue (journal ${journalPath})`;
}
