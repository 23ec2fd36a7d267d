import { parkedAllowance } from '../flow/platform/parked-allowance.js';
import type { Solver } from '../solver/solver.js';
import type { ServiceProfile } from '../solver/types.js';
import type { Clock } from '../time/clock.js';
import type { BatchStats } from './batch-stats.js';
import type { JournalStore } from './journal-store.js';
import type { OutputSink } from './output-sink.js';
import type { StopReason } from './run-control.js';
import type { SubmitGate } from './submit-gate.js';
import type { DailyWindow } from './window.js';

export interface BatchOutcome {
  reason: StopReason;
  /** The error behind `fatal-account`, `input-changed`, `service-failing` or `internal`. */
  error: unknown;
  /** Tasks on the service when the run ended (a rerun collects them), and lines not started. */
  leftOpen: { accepted: number; notStarted: number };
  /** False when the run stopped before the end of the input. */
  inputExhausted: boolean;
  /**
   * An earlier run on this journal gave some line an error result. Lines an earlier run wrote are
   * skipped unread, so without this a rerun would not know that the batch had failures.
   */
  failedEarlier?: boolean;
  stats: BatchStats;
}

export interface BatchRunnerOptions {
  solver: Pick<Solver, 'solve' | 'collect' | 'flow' | 'on'>;
  gate: SubmitGate;
  journal: JournalStore;
  sink: OutputSink;
  clock: Clock;
  profile: ServiceProfile;
  /**
   * Send a submit whose answer was lost again (up to MAX_LOST_SUBMITS times a run); else the line
   * is left in doubt: pending, `ambiguous` in the journal, no result line.
   * @default true on the captchaai profile, false on 2captcha (as the Solver's own option)
   */
  resubmitAmbiguous?: boolean | undefined;
  /** Lines with a method the client does not know are sent (as the Solver's option). @default false */
  allowUnknownMethods?: boolean;
  /** Submit an ERROR_CAPTCHA_UNSOLVABLE task again, up to this many times. @default 0 */
  retryUnsolvable?: number;
  /** Submit only inside this daily UTC window. @default always */
  window?: DailyWindow | undefined;
  /** After a stop, how long in-flight tasks may still be collected. @default 60000 */
  drainTimeoutMs?: number;
  /**
   * Whether another line may be started. @default while fewer than twice the Solver's thread
   * limit plus 16 are open, and fewer than an eighth of the limit (at least 16) wait for a thread
   */
  hasRoom?: (open: number) => boolean;
  /** Masks secrets in result lines before they reach the journal or the output. */
  redact?: (text: string) => string;
  /** First interrupt: stop submitting, collect what is in flight, then end. */
  stop?: AbortSignal;
  /** Second interrupt: end now; the journal keeps every task's state. */
  kill?: AbortSignal;
}

/**
 * Room for one more line: a few tasks queued for a thread keep every freed thread busy at once,
 * while thousands queued would only hold memory (a waiting solve costs as much as a running one).
 */
export function solverHasRoom(
  flow: { limit: number; waiting: number; parked?: number },
  open: number,
): boolean {
  // Lines parked behind a busy CAPTCHA type hold no thread: other types may start meanwhile, up
  // to a bound, since each parked line is held in memory.
  const parked = Math.min(flow.parked ?? 0, parkedAllowance(flow.limit));
  return (
    open - parked < 2 * flow.limit + 16 && flow.waiting < Math.max(16, Math.ceil(flow.limit / 8))
  );
}
