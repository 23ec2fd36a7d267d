import { CapacityWaitError } from '../errors/capacity-wait-error.js';
import { fullJitterDelay } from '../flow/backoff.js';
import type { CapacityLease, PlatformCapacity } from '../flow/platform/platform-capacity.js';
import type { RefusalCause } from '../flow/platform/refusal-cause.js';
import type { SlotController } from '../flow/slot-controller.js';
import { CAPACITY_WAIT_REASON, type TaskScope } from './deadline.js';
import type { ResolvedSolverOptions } from './options.js';

/**
 * One task's hold on capacity across its submits: its type's turn and an account thread, taken
 * again after each refusal. While the task waits for capacity nothing of it is on the service, so
 * its timeout stands still and `capacityWaitMs` runs instead; the timeout starts afresh at each
 * grant.
 */
export class TaskCapacity {
  private lease: CapacityLease | undefined;
  private waitedMs = 0;
  private waitingSince: number | undefined;

  constructor(
    private readonly capacity: PlatformCapacity,
    private readonly slots: SlotController,
    readonly type: string,
    private readonly scope: TaskScope,
    private readonly options: ResolvedSolverOptions,
    private readonly timeoutMs: number,
  ) {}

  /** Waits for the first grant. */
  async acquire(): Promise<void> {
    if (this.capacity.isBusy(this.type)) this.startWaiting();
    this.grant(await this.capacity.acquire(this.type, this.scope.signal));
  }

  /** in.php accepted the task. */
  accepted(): void {
    if (this.lease) this.capacity.accepted(this.type, this.lease);
  }

  /** in.php refused the task for capacity: reads the cause and waits for the next grant. */
  async refused(
    attempt: number,
  ): Promise<{ cause: RefusalCause; delayMs: number; ready: Promise<void> }> {
    const { clock, random, capacityBackoff } = this.options;
    const lease = this.lease;
    this.lease = undefined;
    this.startWaiting();
    const cause = lease ? await this.capacity.refused(this.type, lease) : 'account';
    // A thread frees when one of our tasks on the service ends; with none of ours there, only
    // time helps. Submits on their way do not count: the refusal just handed this thread to the
    // next waiter, and with every submit refused they would retry each other's refusals at once.
    const delayMs =
      cause === 'account' && this.slots.onServiceCount === 0
        ? fullJitterDelay(attempt - 1, capacityBackoff, random)
        : 0;
    const signal = this.scope.signal;
    const ready = (delayMs > 0 ? clock.sleep(delayMs, signal) : Promise.resolve())
      .then(() => this.capacity.acquire(this.type, signal, true))
      .then((lease) => this.grant(lease));
    return { cause, delayMs, ready };
  }

  /** The task is over: its thread and its type's worker are free. */
  release(): void {
    this.lease?.permit.release();
    this.lease?.ticket.release();
  }

  /** The error for a scope aborted by the capacity wait. */
  waitError(): CapacityWaitError {
    const now = this.options.clock.now();
    return new CapacityWaitError(
      this.type,
      this.waitedMs + (this.waitingSince === undefined ? 0 : now - this.waitingSince),
    );
  }

  private grant(lease: CapacityLease): void {
    this.lease = lease;
    if (this.waitingSince !== undefined)
      this.waitedMs += this.options.clock.now() - this.waitingSince;
    this.waitingSince = undefined;
    this.scope.startDeadline(this.timeoutMs);
  }

  private startWaiting(): void {
    this.waitingSince = this.options.clock.now();
    this.scope.startDeadline(this.options.capacityWaitMs - this.waitedMs, CAPACITY_WAIT_REASON);
  }
}
