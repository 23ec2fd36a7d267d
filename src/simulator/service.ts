import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';
import type { ApiFile } from '../transport/types.js';
import type { Account } from './account.js';
import type { ResolvedSimulatorOptions } from './options.js';
import type { Platform } from './platform.js';
import type { Reply } from './reply.js';
import type { TaskRecord, TaskStore } from './task-store.js';

/** What the endpoint handlers need from the simulator (kept apart to avoid an import cycle). */
export interface Service {
  readonly options: ResolvedSimulatorOptions;
  readonly clock: Clock;
  readonly random: Random;
  readonly store: TaskStore;
  /** The platform's workers per CAPTCHA type, shared by every account. */
  readonly platform: Platform;
  nextTaskId(): number;
  /** Arranges the pingback for `task` once it is finished. */
  schedulePingback(task: TaskRecord, url: string): void;
}

/** One request that passed the gate (known key, not banned, not throttled). */
export interface Call {
  readonly service: Service;
  readonly account: Account;
  readonly params: Record<string, string>;
  readonly file: ApiFile | undefined;
  readonly reply: Reply;
  readonly now: number;
}

export interface HandleContext {
  /** The caller's address, for the bad-key IP ban. @default '127.0.0.1' */
  ip?: string;
  /** The HTTP body could not be decoded (broken multipart): in.php answers ERROR_UPLOAD. */
  malformedBody?: boolean;
}
