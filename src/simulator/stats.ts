import type { ApiEndpoint } from '../errors/api-error.js';

/** Transport faults injected on this account's requests. */
export interface FaultCounts {
  html502: number;
  /** Resets before the request was processed (nothing happened on the server). */
  resetBefore: number;
  /** Resets after processing: an accepted submit here is a lost answer. */
  resetAfter: number;
  truncatedJson: number;
  slow: number;
}

/**
 * One account's counters for one CAPTCHA type. `slotMs` runs like the account's: released slots
 * plus those still held, so sampling it at two times gives the occupancy between them.
 */
export interface TypeStats {
  /** Submits of the type that created a task. */
  accepted: number;
  /** Submits of the type refused by the account's thread cap. */
  refusedAccount: number;
  /** Submits of the type refused because the platform's workers for it were all busy. */
  refusedPlatform: number;
  /** The account's tasks of the type holding a slot now. */
  inUse: number;
  maxInUse: number;
  /** Slot-milliseconds held by the account's tasks of the type so far. */
  slotMs: number;
}

/**
 * One account's counters. Times are on the simulator's clock. Billing: a task is billed when it
 * is solved (whether or not its result is ever collected); unsolvable tasks and rejected submits
 * are never billed.
 */
export interface SimulatorStats {
  /** The account's key, masked (first 4 characters + '…'). */
  key: string;
  threads: number;
  balance: number;
  /** Every request attributed to this key, including 429s and ban answers. */
  requests: number;
  requestsByEndpoint: Record<ApiEndpoint, number>;
  /** Submits that created a task (in.php and solve.php). */
  acceptedSubmits: number;
  /**
   * Submits refused for lack of a free slot (nothing queued, nothing billed): the account's
   * threads all in use, or the platform's workers for the type all busy.
   */
  capacityRejections: number;
  /** Among `capacityRejections`: those refused by the platform, not by the account's threads. */
  platformRejections: number;
  /** HTTP 429 answers (rate limit and throttle windows). */
  http429: number;
  /** res.php `action=get` requests (a batch poll counts once). */
  polls: number;
  /** Batch polls (`ids=`) among `polls`. */
  batchPolls: number;
  /** Per task id: how often it was asked for (each id of a batch counts). Live view. */
  pollsByTask: ReadonlyMap<string, number>;
  /** Accepted submits whose method and parameters (except key/json/pingback/header_acao/soft_id) were accepted before. */
  duplicateSubmits: number;
  /** Solved tasks (see the billing note above). */
  billedSolves: number;
  unsolvable: number;
  /** Tasks whose final answer (solved or unsolvable) a poll delivered at least once. */
  collected: number;
  /** Sum of the solve times of finished tasks (solved or unsolvable), in ms. */
  solveMsTotal: number;
  slotsInUse: number;
  maxSlotsInUse: number;
  /** Slot-milliseconds held so far (released and still held): the numerator of utilisation. */
  slotMs: number;
  reportsGood: number;
  reportsBad: number;
  /** Every error code answered (and CAPCHA_NOT_READY, HTTP_429), by code. */
  codes: Record<string, number>;
  faults: FaultCounts;
  /** Clock time of the first accepted submit, or null. */
  firstSubmitAt: number | null;
  /** Clock time of the latest task completion, or null. */
  lastFinishAt: number | null;
  /** Per CAPTCHA type (the solve category), only types that saw a valid submit. */
  byType: Record<string, TypeStats>;
}

/** The platform's side, shared by every account: what `GET /__sim/stats` shows as `platform`. */
export interface PlatformStats {
  /** The day curve's UTC hour now (fractional); null without a day curve. */
  utcHour: number | null;
  /** Types limited by an option or holding tasks now. */
  byType: Record<string, { inUse: number; capacity: number | null }>;
}

/** Masks a key for display: the first 4 characters and an ellipsis. */
export function maskKey(key: string): string {
  return `${key.slice(0, 4)}…`;
}

/** A JSON-friendly copy (the per-task Map becomes an object). */
export function statsToJson(stats: SimulatorStats): Record<string, unknown> {
  return { ...stats, pollsByTask: Object.fromEntries(stats.pollsByTask) };
}
