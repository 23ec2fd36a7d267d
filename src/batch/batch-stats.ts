import type { Solver } from '../solver/solver.js';
import { LINES_PER_CAUSE, PendingCauses } from './pending-causes.js';

/**
 * What a run did, counted as it happens: for the progress display and the summary. Request
 * counts come from the Solver's events (one per submit, rejection, lost answer, retry, throttle
 * and poll), which is close to, not exactly, what the service saw.
 */
export class BatchStats {
  /** Non-blank lines read this run. */
  read = 0;
  /** Lines whose result an earlier run had already written. */
  skipped = 0;
  /** Result lines this run decided (ok + failed), resumed `done` lines included. */
  ok = 0;
  failed = 0;
  readonly byCode = new Map<string, number>();
  /** `done` lines of an earlier run written by this one. */
  resumedRecords = 0;
  /** Tasks an earlier run submitted, collected by this one without submitting. */
  resumedCollects = 0;
  unsolvableRetries = 0;
  /** Lines sent again after their submit answer was lost (each resubmit counts). */
  ambiguousResubmits = 0;
  /**
   * Lines left in doubt: a submit's answer was lost and the line was not sent again, so the
   * service may hold its task. Pending (`ambiguous` in the journal), with no result line.
   */
  inDoubt = 0;
  /** Of those, the ones given up after MAX_LOST_SUBMITS lost answers in this run. */
  inDoubtLostTooOften = 0;
  /** The first LINES_PER_CAUSE lines left in doubt, for the summary. */
  readonly inDoubtLines: number[] = [];
  /** Tasks left pending after errors a rerun may fix (outage, account). */
  unresolved = 0;
  /** The error that left each of those lines pending, grouped by cause. */
  readonly pendingCauses = new PendingCauses();
  /** Tasks whose submit was accepted this run, and their total wait from start to acceptance. */
  accepted = 0;
  submitWaitMs = 0;
  /** Time the run spent outside `--window`, waiting for it to open. */
  windowWaitMs = 0;
  readonly requests = { submits: 0, rejected: 0, lost: 0, retries: 0, throttled: 0, polls: 0 };
  throttlePauseMs = 0;

  get done(): number {
    return this.ok + this.failed;
  }

  get requestTotal(): number {
    const r = this.requests;
    return r.submits + r.rejected + r.lost + r.retries + r.throttled + r.polls;
  }

  /** Called on each error result, once it is journaled (the runner marks the journal). */
  onFailure: (() => void) | undefined;

  result(ok: boolean, code: string): void {
    if (ok) this.ok++;
    else {
      this.failed++;
      this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
      this.onFailure?.();
    }
  }

  /** A line left without a result after `error`, which a rerun may not meet again (an outage). */
  leftPending(line: number, error: unknown): void {
    this.unresolved++;
    this.pendingCauses.add(line, error);
  }

  /** A line left in doubt (see `inDoubt`). */
  leftInDoubt(line: number, lostTooOften: boolean): void {
    this.inDoubt++;
    if (lostTooOften) this.inDoubtLostTooOften++;
    if (this.inDoubtLines.length < LINES_PER_CAUSE) this.inDoubtLines.push(line);
  }

  /** Lines without a result that a rerun may finish: after service errors, or in doubt. */
  get pending(): number {
    return this.unresolved + this.inDoubt;
  }

  /** Counts the Solver's requests from its events; returns the function that stops counting. */
  watch(solver: Pick<Solver, 'on'>): () => void {
    const r = this.requests;
    const offs = [
      solver.on('submitted', () => void r.submits++),
      solver.on('rejected', () => void r.rejected++),
      solver.on('ambiguous', () => void r.lost++),
      solver.on('retrying', () => void r.retries++),
      solver.on('throttled', (e) => {
        r.throttled++;
        this.throttlePauseMs += e.delayMs;
      }),
      solver.on('polled', () => void r.polls++),
    ];
    return () => offs.forEach((off) => off());
  }
}
