import { AmbiguousSubmitError } from '../errors/ambiguous-submit-error.js';
import type { SolveResult } from '../solver/types.js';
import { BatchStats } from './batch-stats.js';
import { CapacityStats } from './capacity-stats.js';
import { decideFailure } from './failure-policy.js';
import { InputChangedError } from './input-check.js';
import type { InputLine } from './line-reader.js';
import {
  JournalWriteError,
  openTask,
  submitTicket,
  TaskPhase,
  type OpenTask,
} from './open-task.js';
import { BATCH_CODES, errorRecord, okRecord } from './output-record.js';
import { RecordWriter } from './record-writer.js';
import { planLine } from './resume-plan.js';
import { ResultRecorder } from './result-recorder.js';
import { RunControl } from './run-control.js';
import { solverHasRoom, type BatchOutcome, type BatchRunnerOptions } from './runner-options.js';
import {
  duplicateLine,
  hashLine,
  IdRegistry,
  isBadLine,
  keyOf,
  parseTaskLine,
} from './task-line.js';

export type { StopReason } from './run-control.js';
export type { BatchOutcome, BatchRunnerOptions } from './runner-options.js';

/** Consecutive outage-like failures (past the Solver's own retries) that stop a run. */
const FAILING_STREAK = 5;
/** Journal meta set once some line has an error result: for the exit code of later runs. */
export const FAILED_META = 'results.failed';

/**
 * Runs a JSONL batch through one Solver with a journal, so that the run can be killed at any
 * point and resumed: lines are pulled only while the Solver has room (about twice its thread
 * limit), a line's state is journaled before it changes on the service, a result is journaled
 * before it is written, and a resumed run writes, collects or skips what an earlier run left
 * instead of submitting it again.
 */
export class BatchRunner {
  readonly stats = new BatchStats();
  /** Capacity refusals per CAPTCHA type and cause, and by UTC hour, for the summary. */
  readonly capacity: CapacityStats;
  readonly control: RunControl;
  private readonly writer: RecordWriter;
  private readonly results: ResultRecorder;
  private readonly journalEnd: number;
  private failingStreak = 0;
  private lastLineNo = 0;
  private readonly failedEarlier: boolean;
  /** Send a submit whose answer was lost again: the option, else the profile's default. */
  private readonly resubmitAmbiguous: boolean;
  /** Which line holds each record id so far: a later line with the same id is a bad line. */
  private readonly ids = new IdRegistry();

  constructor(private readonly options: BatchRunnerOptions) {
    const { journal, clock } = options;
    this.capacity = new CapacityStats(clock);
    this.control = new RunControl({
      clock,
      window: options.window,
      drainTimeoutMs: options.drainTimeoutMs ?? 60_000,
      hasRoom: options.hasRoom ?? ((open) => solverHasRoom(options.solver.flow, open)),
      stats: this.stats,
    });
    this.writer = new RecordWriter(options.sink, journal, clock, (error) =>
      this.control.halt('internal', error),
    );
    this.results = new ResultRecorder(
      journal,
      this.writer,
      this.stats,
      clock,
      options.redact ?? ((t) => t),
    );
    this.journalEnd = journal.maxLine();
    // As the library's own default: a duplicate costs a thread for a while on thread-billed
    // CaptchaAI, a second charge on 2captcha.
    this.resubmitAmbiguous = options.resubmitAmbiguous ?? options.profile === 'captchaai';
    // Set after a line's error result is journaled `done` (or replayed from it), once per journal:
    // a crash in between leaves the line `done`, and the rerun that writes it sets the mark.
    this.failedEarlier = journal.readMeta(FAILED_META) !== undefined;
    let marked = this.failedEarlier;
    this.stats.onFailure = () => {
      if (marked) return;
      journal.writeMeta(FAILED_META, '1');
      marked = true;
    };
  }

  /** Runs every line of `lines` (a file's lines through readInputLines, or any iterable). */
  async run(lines: AsyncIterable<InputLine> | Iterable<InputLine>): Promise<BatchOutcome> {
    const { gate, solver } = this.options;
    const control = this.control;
    gate.setPolicy(() => control.maySubmit());
    const unwatch = this.stats.watch(solver);
    const unwatchCapacity = this.capacity.watch(solver);
    const offLimit = solver.on('limit-changed', () => control.wake());
    const unlink = control.link(this.options.stop, this.options.kill);
    const iterator =
      Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]();
    let exhausted = false;
    try {
      await control.loop({
        next: async () => {
          const next = await iterator.next();
          if (next.done) {
            exhausted = true;
            this.checkInputEnd();
            return false;
          }
          this.guard(() => this.handle(next.value));
          return true;
        },
        launch: (task) => this.launch(task),
      });
    } finally {
      unwatch();
      unwatchCapacity();
      offLimit();
      unlink();
      gate.setPolicy(() => false);
      // Closes the input file: a stop leaves the rest unread.
      if (!exhausted) await iterator.return?.();
    }
    await this.writer.flush();
    const { accepted, notStarted } = control.leftOpen();
    return {
      reason: control.reason ?? 'complete',
      error: control.error,
      leftOpen: { accepted, notStarted },
      inputExhausted: exhausted,
      failedEarlier: this.failedEarlier,
      stats: this.stats,
    };
  }

  /** Decides what one input line needs, from its journal row. */
  private handle(input: InputLine): void {
    this.stats.read++;
    this.lastLineNo = input.lineNo;
    const { journal, clock } = this.options;
    const hash = hashLine(input.text);
    const row = input.lineNo <= this.journalEnd ? journal.get(input.lineNo) : undefined;
    const plan = planLine(row, hash);
    if (plan.kind === 'changed') {
      this.control.halt('input-changed', new InputChangedError(`line ${input.lineNo} differs`));
      return;
    }
    // Every line claims its id, also one an earlier run finished: a resumed run then flags the
    // same duplicates as one run would have (and a line meets its own id only once per run).
    let parsed = parseTaskLine(input, hash, this.options.allowUnknownMethods === true);
    const first = this.ids.claim(input.lineNo, parsed.id);
    if (plan.kind === 'skip') return void this.stats.skipped++;
    if (plan.kind === 'replay') return this.results.replay(input.lineNo, plan.record);
    // A line that is bad anyway keeps its own message (it is not sent either way).
    if (first !== undefined && !isBadLine(parsed)) parsed = duplicateLine(parsed, first);
    if (isBadLine(parsed)) {
      const record = errorRecord(parsed.id, BATCH_CODES.invalidTask, parsed.message);
      return this.results.finish(keyOf(parsed), record);
    }
    const task = openTask(parsed, row ?? { unsolvable: 0, lostSubmits: 0 }, clock.now());
    this.control.add(task);
    if (plan.kind === 'collect') return this.collect(task, plan.taskId, plan.submittedAt);
    if (plan.kind === 'submit') return this.launch(task);
    if (plan.ended) {
      // A run ended while this submit was on the wire: nobody knows if the service took it.
      journal.ambiguous(input.lineNo, clock.now());
      task.lostSubmits++;
    }
    const lost = new Error('a run ended before the answer to this submit arrived');
    this.failed(task, new AmbiguousSubmitError(lost));
  }

  /** Starts (or restarts) a task's solve, unless submitting is paused (then it waits). */
  private launch(task: OpenTask): void {
    const { solver, gate, journal, clock } = this.options;
    if (!this.control.maySubmit()) {
      this.control.hold(task);
      return;
    }
    task.phase = TaskPhase.waiting;
    task.held = false;
    task.controller = new AbortController();
    task.startedAt = clock.now();
    solver
      .solve(task.line.task, {
        signal: this.control.taskSignal(task),
        ...gate.hooks(submitTicket(task, journal, clock)),
        onSubmitted: (taskId) => this.guard(() => this.accepted(task, taskId)),
      })
      .then(
        (result) => this.guard(() => this.solved(task, result)),
        (error: unknown) => this.guard(() => this.failed(task, error)),
      );
  }

  /** Follows a task an earlier run submitted, without submitting anything. */
  private collect(task: OpenTask, taskId: string, submittedAt: number | undefined): void {
    const { solver, clock } = this.options;
    task.phase = TaskPhase.accepted;
    this.stats.resumedCollects++;
    solver
      .collect(taskId, task.line.method, {
        // A submit time from a clock that ran ahead (another machine) must not stretch the timeout.
        submittedAt: Math.min(submittedAt ?? clock.now(), clock.now()),
        signal: this.control.taskSignal(task),
      })
      .then(
        (result) => this.guard(() => this.solved(task, result)),
        (error: unknown) => this.guard(() => this.failed(task, error)),
      );
  }

  private accepted(task: OpenTask, taskId: string): void {
    const { journal, clock } = this.options;
    task.phase = TaskPhase.accepted;
    this.stats.accepted++;
    this.stats.submitWaitMs += clock.now() - task.startedAt;
    journal.accepted(task.line.lineNo, taskId, clock.now(), clock.now());
  }

  private solved(task: OpenTask, result: SolveResult): void {
    this.control.remove(task);
    this.failingStreak = 0;
    this.results.finish(keyOf(task.line), okRecord(task.line.id, result));
  }

  private failed(task: OpenTask, error: unknown): void {
    const { journal, clock, profile } = this.options;
    if (error instanceof AmbiguousSubmitError && !this.control.killed) {
      if (task.phase === TaskPhase.sending) {
        journal.ambiguous(task.line.lineNo, clock.now());
        task.lostSubmits++;
        task.lostThisRun++;
      }
    }
    if (error instanceof JournalWriteError) {
      this.control.remove(task);
      return this.control.halt('internal', error);
    }
    const decision = decideFailure(error, {
      profile,
      held: task.held,
      resubmitAmbiguous: this.resubmitAmbiguous,
      lostThisRun: task.lostThisRun,
      unsolvable: task.unsolvable,
      retryUnsolvable: this.options.retryUnsolvable ?? 0,
    });
    switch (decision.action) {
      case 'resubmit':
        this.stats.ambiguousResubmits++;
        return this.launch(task);
      case 'doubt':
        // No result: the journal keeps the line `ambiguous` for a rerun that resubmits it.
        this.control.remove(task);
        return this.stats.leftInDoubt(task.line.lineNo, decision.why === 'lost-too-often');
      case 'retry-unsolvable':
        task.unsolvable++;
        this.stats.unsolvableRetries++;
        journal.queued(keyOf(task.line), task.line.method, clock.now(), task.unsolvable);
        return this.launch(task);
      case 'held':
        return this.control.hold(task);
      case 'dropped':
        return this.control.remove(task);
      case 'fatal-account':
        this.control.remove(task);
        return this.control.halt('fatal-account', error);
      case 'unresolved':
        this.control.remove(task);
        this.stats.leftPending(task.line.lineNo, error);
        if (++this.failingStreak >= FAILING_STREAK) this.control.halt('service-failing', error);
        return;
      case 'record':
        this.control.remove(task);
        return this.results.finish(
          keyOf(task.line),
          errorRecord(task.line.id, decision.code, decision.message),
        );
    }
  }

  /** The journal ends past the input: it was made for a longer (so another) input. */
  private checkInputEnd(): void {
    if (this.journalEnd > this.lastLineNo) {
      const detail = `it has results for line ${this.journalEnd}, past the end of this input (line ${this.lastLineNo})`;
      this.control.halt('input-changed', new InputChangedError(detail));
    }
  }

  /** A journal or output failure stops the run: going on could bill or write without a record. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.control.halt('internal', error);
    }
  }
}
