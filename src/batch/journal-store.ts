/**
 * Where a batch run remembers, line by line, how far each task got, so that a run killed at any
 * moment can be resumed without submitting (and paying for) a task twice, and without writing a
 * line's result twice.
 *
 * A line's life:
 *
 *     (no row) ──► submitting ──► accepted ──► done ──► written
 *        │  ▲         │  │           │          ▲
 *        │  └─ queued ◄┘  └► ambiguous  └► queued (unsolvable, retried)
 *        └──────────────────────────────────────┘ (a bad line: done at once)
 *
 * - `submitting`: an in.php request for the line may be on the wire. Written before it is sent.
 * - `queued`: the service answered that submit with a refusal (no free thread, 429, an error
 *   code), or an unsolvable task is to be tried again: nothing of this line is on the service, so
 *   sending it again is safe.
 * - `ambiguous`: a submit's answer was lost (reset, timeout, a crash while `submitting`): the
 *   service may hold a task we never learnt of. Sent again where the profile's default or
 *   `--resubmit-ambiguous` says so (captchaai); otherwise it stays in doubt.
 * - `accepted`: the service holds the task; `taskId` is known, so a resumed run polls it.
 * - `done`: the result line is decided (`record`), before it is written out.
 * - `written`: the result line is in the output.
 *
 * Every method is one atomic change, and refuses a transition the table below does not allow,
 * so even a bug in the runner cannot resubmit an accepted task or write a result twice.
 */
export type LineState = 'queued' | 'submitting' | 'ambiguous' | 'accepted' | 'done' | 'written';

export const LINE_STATES: readonly LineState[] = Object.freeze([
  'queued',
  'submitting',
  'ambiguous',
  'accepted',
  'done',
  'written',
] as const);

export interface JournalRow {
  /** 1-based physical line number in the input (blank lines count). */
  line: number;
  /** hashLine() of the line's text: tells a changed input from the one journaled. */
  hash: string;
  state: LineState;
  method: string | undefined;
  taskId: string | undefined;
  /** When the service accepted the task, on the run's clock. */
  submittedAt: number | undefined;
  /** ERROR_CAPTCHA_UNSOLVABLE outcomes so far (the attempts `--retry-unsolvable` used). */
  unsolvable: number;
  /** Submits whose answer was lost. */
  lostSubmits: number;
  /** The output line, from `done` until `written`. */
  record: string | undefined;
}

/** What `submitting`, `queued` and `done` need to create a row that does not exist yet. */
export interface LineKey {
  line: number;
  hash: string;
}

/** A transition the journal refuses: a bug, or a journal that belongs to other input. */
export class JournalStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalStateError';
  }
}

export type Transition = 'submitting' | 'queued' | 'ambiguous' | 'accepted' | 'done' | 'written';

/** The states each transition may start from; `absent` is a line without a row. */
export const ALLOWED_FROM: Readonly<Record<Transition, readonly (LineState | 'absent')[]>> =
  Object.freeze({
    submitting: ['absent', 'queued', 'submitting', 'ambiguous'],
    queued: ['absent', 'queued', 'submitting', 'accepted'],
    ambiguous: ['submitting'],
    accepted: ['submitting'],
    done: ['absent', 'queued', 'submitting', 'ambiguous', 'accepted'],
    written: ['done'],
  });

/** Throws unless `transition` may start from `current` on a row with the same hash. */
export function checkTransition(
  transition: Transition,
  line: number,
  current: Pick<JournalRow, 'state' | 'hash'> | undefined,
  hash?: string,
): void {
  if (current && hash !== undefined && current.hash !== hash) {
    throw new JournalStateError(`line ${line}: the journal holds a different line here`);
  }
  const from = current?.state ?? 'absent';
  if (!ALLOWED_FROM[transition].includes(from)) {
    throw new JournalStateError(`line ${line}: cannot go from ${from} to ${transition}`);
  }
}

/**
 * The journal's storage, behind an interface so that the runner does not care where it lives
 * (SQLite on one machine; an in-memory one for tests). One behavioural suite runs against each.
 */
export interface JournalStore {
  readMeta(name: string): string | undefined;
  writeMeta(name: string, value: string): void;
  get(line: number): JournalRow | undefined;
  /** The highest line with a row; 0 when there is none. */
  maxLine(): number;
  /** Line and hash of up to `limit` rows after `afterLine`, in line order (input checks). */
  hashes(afterLine: number, limit: number): Array<{ line: number; hash: string }>;
  /** Line and record of up to `limit` written rows after `afterLine`, in line order (--replay). */
  writtenRecords(afterLine: number, limit: number): Array<{ line: number; record: string }>;
  /** Up to `limit` rows in `state`, in line order. */
  rowsInState(state: LineState, limit: number): JournalRow[];
  counts(): Record<LineState, number>;
  /** Before an in.php request for the line is sent; creates the row when absent. */
  submitting(key: LineKey, method: string, at: number): void;
  /** Nothing of the line is on the service; `unsolvable` is the retry count so far. */
  queued(key: LineKey, method: string, at: number, unsolvable: number): void;
  /** A submit's answer was lost: counts it in `lostSubmits`. */
  ambiguous(line: number, at: number): void;
  accepted(line: number, taskId: string, submittedAt: number, at: number): void;
  done(key: LineKey, record: string, at: number): void;
  /**
   * The lines' records reached the output. `outCommitted`, when given, is the output file's size
   * after them, stored in the same transaction (see readMeta('out.committed')).
   */
  written(lines: readonly number[], outCommitted: number | undefined, at: number): void;
  /**
   * The service holds none of the journal's tasks (a new embedded simulator): every line
   * accepted, submitting or ambiguous goes back to queued, its task id dropped. Returns how many.
   */
  forgetService(at: number): number;
  close(): void;
}

/** Meta names the runner uses. */
export const META = Object.freeze({
  format: 'format',
  /** Where the accepted tasks live (base URL, or the embedded simulator). */
  service: 'service',
  /** The input's name when the journal was made (for messages only: the hashes decide). */
  input: 'input',
  /** The whole input file's size and SHA-256 (`bytes:hex`) when the journal was made. */
  inputDigest: 'input.digest',
  /** A fingerprint of the API key the tasks were sent with (never the key). */
  account: 'account',
  /** Absolute path of the `--out` file, or `-` for stdout. */
  out: 'out',
  /** Bytes of the `--out` file known to hold only `written` records. */
  outCommitted: 'out.committed',
});

export const JOURNAL_FORMAT = 'captchaai-batch-journal/1';
