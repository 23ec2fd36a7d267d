import { normalCdf } from './normal-distribution.js';
import type { DoneEstimate } from './release-mode.js';

/** A speculative submit goes only while it is at least this likely to find a free thread. */
const CONFIDENCE = 0.9;

/**
 * Where the service frees a thread at the solve, tasks that have probably finished but were not
 * polled yet hold no thread. Speculative submits fill those threads instead of leaving them idle
 * until the next poll. They go one at a time: each acceptance proves one more thread was free,
 * so the next is sent only while P(one more has finished | as many as already filled) stays
 * high. A refusal pauses speculation until about one more task has probably finished.
 */
export class Speculation {
  private pending = 0;
  private filled = 0;
  private blockedUntil = 0;

  /** Whether one more speculative submit may go, `over` being how far we already are past the limit. */
  allowed(done: DoneEstimate, over: number): boolean {
    if (this.pending > 0 || done.sharp === false) return false;
    if (done.mean < 1 || done.mean < this.blockedUntil) return false;
    const filled = Math.max(this.filled, over);
    const sigma = Math.sqrt(Math.max(done.variance, 1e-9));
    const tail = (k: number): number => 1 - normalCdf((k - 0.5 - done.mean) / sigma);
    const given = filled === 0 ? 1 : tail(filled);
    return given > 0 && tail(filled + 1) / given >= CONFIDENCE;
  }

  sent(): void {
    this.pending++;
  }

  accepted(): void {
    this.pending--;
    this.filled++;
  }

  rejected(done: DoneEstimate): void {
    this.pending--;
    this.blockedUntil = done.mean + 1;
  }

  abandoned(): void {
    this.pending--;
  }

  /** A task of ours was collected: if a speculative submit took its thread, that is settled. */
  collected(): void {
    if (this.filled > 0) this.filled--;
    this.blockedUntil = Math.max(0, this.blockedUntil - 1);
  }
}
