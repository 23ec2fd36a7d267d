/** When the service frees a thread: at the solve (A) or when the result is collected (B). */
export type SlotRelease = 'solve' | 'collect';

/** How many tasks are probably finished but not yet collected, as mean and variance. */
export interface DoneEstimate {
  mean: number;
  variance: number;
  /**
   * Whether the estimate is sharp enough to submit on. With batch polls every task is seen every
   * few seconds and the estimate is well calibrated; with sparse single polls it is not.
   */
  sharp?: boolean;
  /**
   * How far refusals' readings moved the mean, in tasks (negative: they held it down), as far as
   * polls have not washed that out yet.
   */
  shifted?: number;
  /** Tasks out whose chance of having finished cannot be read yet (too few solves seen). */
  unknown?: number;
}

const WINDOW = 12;
const MIN_EVIDENCE = 8;
/** Counts of our tasks this close to the fewest ever refused are "the same". */
const MARGIN = 2;
/** A refusal tells the semantics apart only while at least this many tasks have probably finished. */
const MANY_DONE = 3;

/**
 * Learns which release semantics the service has from speculative submits: those sent beyond the
 * number of our tasks that filled the account at the last rejection, only because some of ours
 * have probably finished. If finished tasks free their threads (release at solve), most such
 * submits are accepted; if threads are held until collection, every one is rejected. Starts
 * optimistic (release at solve, as the docs suggest) and switches on a run of rejections.
 */
export class ReleaseModeDetector {
  private readonly outcomes: boolean[] = [];
  private current: SlotRelease;
  private fewestFull: number | undefined;

  constructor(private readonly fixed: SlotRelease | undefined) {
    this.current = fixed ?? 'solve';
  }

  get mode(): SlotRelease {
    return this.current;
  }

  /**
   * A submit was accepted with `inFlight` tasks of ours out there. Past the fewest at which the
   * account was ever found full, only threads freed by finished tasks explain it.
   */
  observeAcceptance(inFlight: number): boolean {
    if (!this.wouldTell(inFlight)) return false;
    return this.record(true);
  }

  /** Whether an acceptance with this many of ours out there would tell the semantics apart. */
  wouldTell(inFlight: number): boolean {
    return this.fewestFull !== undefined && inFlight >= this.fewestFull + MARGIN;
  }

  /**
   * The account was found full with `full` tasks of ours out there while `doneMean` were probably
   * finished. Where the solve frees threads the account fills only at about the limit plus those
   * finished; refused again at the fewest count ever, with many probably finished, points to
   * threads held until collection.
   */
  observeRefusal(full: number, doneMean: number): boolean {
    this.fewestFull = Math.min(this.fewestFull ?? full, full);
    if (doneMean < MANY_DONE || full > this.fewestFull + MARGIN) return false;
    return this.record(false);
  }

  /** Records a speculative submit's fate; returns true when the mode changed. */
  record(accepted: boolean): boolean {
    if (this.fixed !== undefined) return false;
    this.outcomes.push(accepted);
    if (this.outcomes.length > WINDOW) this.outcomes.shift();
    if (this.outcomes.length < MIN_EVIDENCE) return false;
    const rate = this.outcomes.filter(Boolean).length / this.outcomes.length;
    // Release at collection rejects every speculative submit; at the solve most succeed, and
    // even a bad run of estimates leaves some through.
    const next: SlotRelease = rate < 0.15 ? 'collect' : this.current;
    if (next === this.current) return false;
    this.current = next;
    return true;
  }
}
