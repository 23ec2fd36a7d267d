import type { Clock } from '../../src/time/clock.js';

/** The failure code of a task still unreported when its run was stopped (`stopAfterMs`). */
export const UNFINISHED_CODE = 'UNFINISHED';

/** One task's end as a client reports it. */
export interface TaskOutcome {
  index: number;
  ok: boolean;
  /** First submit attempt → result, in virtual ms (solved tasks). */
  latencyMs?: number;
  /** Why it failed (an error code or 'timeout'). */
  code?: string;
}

export interface OutcomeLog {
  solved: number;
  failed: number;
  failCodes: Record<string, number>;
  /** Latencies of solved tasks, ms. */
  latencies: number[];
  /** Clock time each solved result reached the application. */
  resultTimes: number[];
  lastResultAt: number | null;
}

/** Collects what every client reports through `report()`, stamped with the shared clock. */
export class OutcomeRecorder {
  private readonly seen = new Set<number>();
  readonly log: OutcomeLog = {
    solved: 0,
    failed: 0,
    failCodes: {},
    latencies: [],
    resultTimes: [],
    lastResultAt: null,
  };

  constructor(private readonly clock: Clock) {}

  readonly report = (outcome: TaskOutcome): void => {
    if (this.seen.has(outcome.index)) throw new Error(`task ${outcome.index} reported twice`);
    this.seen.add(outcome.index);
    const now = this.clock.now();
    const log = this.log;
    log.lastResultAt = now;
    if (outcome.ok) {
      log.solved++;
      log.resultTimes.push(now);
      if (outcome.latencyMs !== undefined) log.latencies.push(outcome.latencyMs);
    } else {
      log.failed++;
      const code = outcome.code ?? 'unknown';
      log.failCodes[code] = (log.failCodes[code] ?? 0) + 1;
    }
  };

  /**
   * Counts every task of `total` not reported yet as failed with `UNFINISHED_CODE`: the run was
   * stopped before the client reported it.
   */
  reportUnfinished(total: number): void {
    for (let index = 0; index < total; index++) {
      if (!this.seen.has(index)) this.report({ index, ok: false, code: UNFINISHED_CODE });
    }
  }

  get reported(): number {
    return this.seen.size;
  }
}
