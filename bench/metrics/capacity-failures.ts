import { TIMEOUT_BEFORE_ACCEPT } from '../clients/ours.js';
import { UNFINISHED_CODE } from '../harness/recorder.js';

/**
 * Failure codes that mean "never got a thread": the capacity codes a hand-written client gives up
 * on, our Solver's timeout of a task the service never accepted, and a task still waiting when
 * its run was stopped (a client whose limit collapsed, so the work could not be done in time).
 */
export const CAPACITY_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ERROR_ZERO_BALANCE',
  'ERROR_NO_SLOT_AVAILABLE',
  TIMEOUT_BEFORE_ACCEPT,
  UNFINISHED_CODE,
]);

/** Tasks that failed for capacity, from a run's failure codes. */
export function capacityFailures(failCodes: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const [code, count] of Object.entries(failCodes)) {
    if (CAPACITY_FAILURE_CODES.has(code)) n += count;
  }
  return n;
}
