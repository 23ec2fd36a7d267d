import type { Clock } from '../time/clock.js';
import type { JournalStore } from './journal-store.js';
import type { SubmitTicket } from './submit-gate.js';
import { keyOf, type TaskLine } from './task-line.js';

/** Where an open task stands with the service. */
export const TaskPhase = Object.freeze({
  /** Not on the service: waiting for a thread, or its last submit was refused. */
  waiting: 'waiting',
  /** An in.php request is on the wire: the task may or may not be on the service. */
  sending: 'sending',
  /** The service holds it; it is being polled. */
  accepted: 'accepted',
} as const);
export type TaskPhase = (typeof TaskPhase)[keyof typeof TaskPhase];

/** One line being solved or collected. */
export interface OpenTask {
  line: TaskLine;
  phase: TaskPhase;
  /** Aborts this task's solve: to hold it back (only while `waiting`) or to end the run. */
  controller: AbortController;
  /** Set when the runner paused submits while this task was `waiting`: nothing was sent since. */
  held: boolean;
  unsolvable: number;
  /** Submits of this line whose answer was lost, in every run (journaled). */
  lostSubmits: number;
  /** Of those, the ones lost in this run: what bounds resubmitting (MAX_LOST_SUBMITS). */
  lostThisRun: number;
  /** When the current solve started, on the run's clock (for the submit wait in the summary). */
  startedAt: number;
}

export function openTask(
  line: TaskLine,
  counts: { unsolvable: number; lostSubmits: number },
  now: number,
): OpenTask {
  return {
    line,
    phase: TaskPhase.waiting,
    controller: new AbortController(),
    held: false,
    unsolvable: counts.unsolvable,
    lostSubmits: counts.lostSubmits,
    lostThisRun: 0,
    startedAt: now,
  };
}

/**
 * The journal's hooks around each in.php request of a task: `submitting` before it is sent,
 * back to `queued` when the answer is a refusal (so a crash during a long wait for a thread
 * does not make the line ambiguous). A line that was ever lost stays `submitting` on a refusal:
 * its lost submit may still be on the service, and only resubmitting ambiguous submits (the
 * captchaai default, `--resubmit-ambiguous`) may send it again.
 */
export function submitTicket(task: OpenTask, journal: JournalStore, clock: Clock): SubmitTicket {
  const key = keyOf(task.line);
  return {
    sending() {
      journaled(() => journal.submitting(key, task.line.method, clock.now()));
      task.phase = TaskPhase.sending;
    },
    answered(outcome) {
      if (outcome !== 'refused' || task.phase !== TaskPhase.sending) return;
      task.phase = TaskPhase.waiting;
      if (task.lostSubmits === 0) {
        journaled(() => journal.queued(key, task.line.method, clock.now(), task.unsolvable));
      }
    },
  };
}

/**
 * The journal failed while a submit was going out (disk full, a refused transition). Thrown
 * through the Solver as the task's error; the runner stops instead of giving the line a result.
 */
export class JournalWriteError extends Error {
  constructor(cause: unknown) {
    super(
      `the journal could not record a submit: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'JournalWriteError';
  }
}

function journaled(change: () => void): void {
  try {
    change();
  } catch (error) {
    throw new JournalWriteError(error);
  }
}
