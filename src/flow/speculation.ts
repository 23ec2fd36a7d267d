import type { DoneEstimate } from './release-mode.js';

/**
 * Share of speculative submits the service may refuse. Each refusal costs one unbilled request
 * and no thread-time, while each missed chance leaves a thread idle until the next poll: a few
 * percent of refusals is the cheapest way to keep every thread busy.
 */
export const TARGET_REFUSAL_SHARE = 0.03;
/** How far the margin rises on a refusal, in tasks. */
const STEP_UP = 1;
/** How far it falls on an acceptance: at equilibrium refusals are TARGET_REFUSAL_SHARE of submits. */
const STEP_DOWN = (STEP_UP * TARGET_REFUSAL_SHARE) / (1 - TARGET_REFUSAL_SHARE);
/** The margin may fall below zero (the model underestimates how many finished), but not far. */
const MARGIN_FLOOR = -3;
/**
 * Acceptances climb the limit once the margin is this far below where it usually stands: a
 * margin learnt where the estimate is noisy (a small account without ids=) settles at a few
 * tasks, and a floor counted from zero would hold a climb back for hundreds of acceptances.
 */
const CLIMB_DEPTH = 3;
/** Bets over which the margin's usual level is averaged: slow, so a run of acceptances outpaces it. */
const USUAL_OVER = 300;
const MARGIN_CEILING = 64;

/**
 * Where the service frees a thread at the solve, tasks that have probably finished but were not
 * polled yet hold no thread. Speculative submits fill those threads instead of leaving them idle
 * until the next poll: one more goes while the tasks of ours past the limit stay below the
 * estimated number of finished ones minus a margin.
 *
 * The estimate's errors (its spread, a model a little off, polls that lag) the margin learns from
 * the service's answers, as TCP learns its window: every refusal the spread explains raises it by
 * a task, every acceptance lowers it a little, and it settles where about TARGET_REFUSAL_SHARE of
 * speculative submits are refused. A refusal far past the spread moves the limit instead (the
 * slot controller's call). At its floor, acceptances are evidence that the account has more
 * threads than the limit says (`climb`).
 */
export class Speculation {
  private margin = 0;
  /** The margin's usual level, a slow average. */
  private usual = 0;

  /** Whether one more speculative submit may go, `over` being how many of ours are already past the limit. */
  allowed(done: DoneEstimate, over: number): boolean {
    if (done.mean < 1) return false;
    return over + 1 <= done.mean - this.margin;
  }

  /** The learned margin, in tasks (for tests and diagnostics). */
  get heldBack(): number {
    return this.margin;
  }

  /** A speculative submit was accepted; returns true when the margin is at its floor (climb). */
  accepted(): boolean {
    const floor = Math.max(MARGIN_FLOOR, this.usual - CLIMB_DEPTH);
    const next = this.margin - STEP_DOWN;
    this.margin = Math.max(floor, next);
    this.usual += (this.margin - this.usual) / USUAL_OVER;
    return next < floor;
  }

  /** A speculative submit was refused: every refusal counts, so the share holds to its target. */
  rejected(): void {
    this.margin = Math.min(MARGIN_CEILING, this.margin + STEP_UP);
    this.usual += (this.margin - this.usual) / USUAL_OVER;
  }
}
