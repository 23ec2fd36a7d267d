import type { Answer } from '../protocol/answer.js';
import type { GetManyResult } from '../protocol/parse-get-many.js';
import type { RatePriority } from './rate-waiter-queue.js';

/** How the scheduler reaches the service; the solver supplies it (with retries and rate limits). */
export interface PollRequests {
  /** Polls one task. Resolves ok / not-ready / error answers; throws when no answer came. */
  /** `onFailed` hears each failed try, retries included (not only the last). */
  one(taskId: string, priority: RatePriority, onFailed?: (error: unknown) => void): Promise<Answer>;
  /** Polls many with `ids=`; `garbled` when the answer cannot be matched to the ids. */
  many(
    taskIds: readonly string[],
    onFailed?: (error: unknown) => void,
  ): Promise<GetManyResult | { kind: 'garbled' }>;
}

export type BatchPollMode = 'auto' | 'always' | 'never';

export interface PollSchedulerOptions {
  /** `auto` tries `ids=` and falls back to single polls if the service does not answer it. */
  batchPoll: BatchPollMode;
  /** Ids per batch poll. */
  maxBatchSize: number;
  /** The longest gap between two polls of a task while it is likely done; scales every gap. */
  pollIntervalMs: number;
  /** Polls allowed per task (2captcha-style services ban more than 20); undefined: no budget. */
  pollBudget: number | undefined;
  /** Batch-poll requests to spend per solved task; sets the batch cadence. */
  batchPollsPerSolve: number;
  /** Whether the request rate holds submits back now: batch polls are then spaced out further. */
  rateBound?: () => boolean;
  /**
   * Where threads are freed only when a result is collected: the mean poll lag to aim for, as a
   * share of the mean solve time (see CollectPollPolicy). @default 0.04
   */
  collectLagFraction?: number;
}

/** What a poll found for one task. */
export type PollOutcome =
  | {
      kind: 'solved';
      value: string | number | Record<string, unknown>;
      extra: Record<string, unknown>;
      polls: number;
    }
  | { kind: 'failed'; error: unknown; polls: number };

export interface TrackOptions {
  taskId: string;
  method: string;
  /** When the service accepted the task (the solve clock starts then). */
  acceptedAt: number;
  /** No poll is planned past this time. */
  deadlineAt: number;
  signal: AbortSignal;
  /**
   * Called synchronously the moment the task's fate is known, before any other continuation
   * runs: the freed thread is handed on before anything else can race for it.
   */
  onSettled?: () => void;
  /**
   * Whether the task's type is held at a platform cap with tasks of it waiting: its polls then
   * follow the plan for threads freed only at collection, since a finished task of that type that
   * is not yet seen keeps a waiting one off the platform (read at each tick).
   */
  hurried?: () => boolean;
  /** A try at polling the task failed (a retry's included): what a timeout then names. */
  onPollFailed?: (error: unknown) => void;
}

export interface PollSchedulerEvents {
  polled(taskIds: readonly string[], ready: number): void;
  modeChanged(mode: 'batch' | 'single', reason: string): void;
  /** The done estimate moved: refreshed (about every pollIntervalMs / 5) or a poll answered. */
  doneEstimateChanged(): void;
}
