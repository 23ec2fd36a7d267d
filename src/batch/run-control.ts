import type { Clock } from '../time/clock.js';
import type { BatchStats } from './batch-stats.js';
import { TaskPhase, type OpenTask } from './open-task.js';
import { SUBMIT_HELD } from './submit-gate.js';
import { Waker } from './waker.js';
import { isWindowOpen, msUntilOpen, type DailyWindow } from './window.js';

/** Why a run ended. */
export type StopReason =
  | 'complete'
  | 'interrupted'
  | 'killed'
  | 'fatal-account'
  | 'input-changed'
  | 'service-failing'
  | 'internal';

export interface RunControlOptions {
  clock: Clock;
  window: DailyWindow | undefined;
  drainTimeoutMs: number;
  /** Whether one more task may start, given how many are open. */
  hasRoom: (open: number) => boolean;
  stats: BatchStats;
}

/** The abort reason of tasks still open when the run ends (drain timeout, second interrupt). */
export const RUN_ENDED: Error = new Error('the batch run ended');

/**
 * The run's pace and its end: which tasks are open, which wait for the window, whether a new
 * line may be pulled (room under the open limit), when to stop submitting (interrupt, account
 * error) and how long to keep collecting after that (the drain).
 */
export class RunControl {
  reason: StopReason | undefined;
  error: unknown;
  killed = false;
  /** While the run waits for the window to open: when it opens (progress display). */
  windowOpensAt: number | undefined;
  private readonly open = new Set<OpenTask>();
  private readonly held: OpenTask[] = [];
  private readonly waker = new Waker();
  /** Aborts on halt: cuts the window wait short. */
  private readonly halted = new AbortController();
  /** Aborts on the second interrupt or the drain timeout: every task still open ends. */
  private readonly ending = new AbortController();
  private notStarted = 0;
  private left: { accepted: number; notStarted: number } | undefined;

  constructor(private readonly options: RunControlOptions) {}

  get openCount(): number {
    return this.open.size;
  }

  get heldCount(): number {
    return this.held.length;
  }

  maySubmit(): boolean {
    const { window, clock } = this.options;
    return this.reason === undefined && (!window || isWindowOpen(window, clock.now()));
  }

  /**
   * The signal a task's solve runs under: its own controller, which a hold or the end of the run
   * aborts. (Not AbortSignal.any with a run-wide signal: that keeps a reference per task on the
   * long-lived signal, a leak and a cost at a million tasks.)
   */
  taskSignal(task: OpenTask): AbortSignal {
    return task.controller.signal;
  }

  add(task: OpenTask): void {
    this.open.add(task);
  }

  remove(task: OpenTask): void {
    this.open.delete(task);
    this.waker.wake();
  }

  /** A task that sent nothing and may not submit now: it waits for the window, or stays pending. */
  hold(task: OpenTask): void {
    this.open.delete(task);
    if (this.reason === undefined) this.held.push(task);
    else this.notStarted++;
    this.waker.wake();
  }

  wake(): void {
    this.waker.wake();
  }

  /** Stops submitting (once; the first reason stays), and holds back tasks waiting for a thread. */
  halt(reason: StopReason, error: unknown): void {
    if (this.reason === undefined) {
      this.reason = reason;
      this.error = error;
    }
    for (const task of this.open) {
      // Only `waiting` tasks: one with an in.php request on the wire must learn its fate.
      if (task.phase !== TaskPhase.waiting || task.held) continue;
      task.held = true;
      task.controller.abort(SUBMIT_HELD);
    }
    this.halted.abort();
    this.waker.wake();
  }

  /** Ends every open task now; the journal keeps their states for the next run. */
  kill(): void {
    this.killed = true;
    this.halt('killed', undefined);
    this.left ??= this.leftOpen();
    this.end();
  }

  private end(): void {
    this.ending.abort(RUN_ENDED);
    for (const task of [...this.open]) task.controller.abort(RUN_ENDED);
  }

  /** Follows the interrupt signals; returns the function that stops following them. */
  link(stop: AbortSignal | undefined, kill: AbortSignal | undefined): () => void {
    const onStop = (): void => this.halt('interrupted', undefined);
    const onKill = (): void => this.kill();
    stop?.addEventListener('abort', onStop);
    kill?.addEventListener('abort', onKill);
    if (stop?.aborted) onStop();
    if (kill?.aborted) onKill();
    return () => {
      stop?.removeEventListener('abort', onStop);
      kill?.removeEventListener('abort', onKill);
    };
  }

  /**
   * Pulls lines while there is room, restarts held tasks when the window opens, and returns
   * when everything is done or, after a halt, once the drain is over. `next` handles one line
   * and says whether there may be more.
   */
  async loop(io: { next(): Promise<boolean>; launch(task: OpenTask): void }): Promise<void> {
    let more = true;
    while (this.reason === undefined) {
      const room = this.options.hasRoom(this.open.size);
      if (room && this.held.length > 0 && this.maySubmit()) {
        const task = this.held.shift() as OpenTask;
        this.open.add(task);
        io.launch(task);
      } else if (room && more && this.held.length === 0) {
        more = await io.next();
      } else if (!more && this.held.length === 0 && this.open.size === 0) {
        return;
      } else if (this.held.length > 0 && !this.maySubmit()) {
        await this.waitForWindow();
      } else {
        await this.waker.wait();
      }
    }
    await this.drain();
  }

  /** What the run leaves for the next one: tasks on the service, and lines not started. */
  leftOpen(): { accepted: number; notStarted: number } {
    if (this.left) return this.left;
    let accepted = 0;
    for (const task of this.open) if (task.phase === TaskPhase.accepted) accepted++;
    return { accepted, notStarted: this.notStarted + this.held.length + this.open.size - accepted };
  }

  /** Outside the window: tasks in flight go on; new submits wait until it opens. */
  private async waitForWindow(): Promise<void> {
    const { clock, window, stats } = this.options;
    if (!window) return;
    const start = clock.now();
    const wait = msUntilOpen(window, start);
    this.windowOpensAt = start + wait;
    try {
      await clock.sleep(wait, this.halted.signal);
    } catch {
      // Halted while waiting: the loop sees the reason.
    } finally {
      stats.windowWaitMs += clock.now() - start;
      this.windowOpensAt = undefined;
    }
  }

  /** After a halt: keep collecting what is in flight, up to the drain timeout, then end it. */
  private async drain(): Promise<void> {
    const { clock, drainTimeoutMs } = this.options;
    if (this.open.size > 0 && !this.killed) {
      const timedOut = clock.sleep(drainTimeoutMs, this.ending.signal).then(
        () => true,
        () => true,
      );
      while (this.open.size > 0 && !this.killed) {
        if (await Promise.race([this.waker.wait().then(() => false), timedOut])) break;
      }
    }
    // Counted before they end: an aborted task leaves the open set without a trace.
    this.left ??= this.leftOpen();
    this.end();
    // Let the aborted tasks settle, so the journal and the counts see them end.
    for (let turn = 0; turn < 10 && this.open.size > 0; turn++) {
      await new Promise<void>((resolve) => queueMicrotask(resolve));
    }
  }
}
