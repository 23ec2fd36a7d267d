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
  /** Submits refused for lack of a free slot (nothing queued, nothing billed). */
  capacityRejections: number;
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
}

/** Masks a key for display: the first 4 characters and an ellipsis. */
export function maskKey(key: string): string {
  return `${key.slice(0, 4)}…`;
}

/** A JSON-friendly copy (the per-task Map becomes an object). */
export function statsToJson(stats: SimulatorStats): Record<string, unknown> {
  return { ...stats, pollsByTask: Object.fromEntries(stats.pollsByTask) };
}
