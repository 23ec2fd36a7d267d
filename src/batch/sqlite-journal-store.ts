import Database from 'better-sqlite3';
import { JournalOpenError } from './journal-open-error.js';
import {
  ALLOWED_FROM,
  checkTransition,
  JOURNAL_FORMAT,
  JournalStateError,
  LINE_STATES,
  META,
  type JournalRow,
  type JournalStore,
  type LineKey,
  type LineState,
  type Transition,
} from './journal-store.js';

export interface SqliteJournalOptions {
  /**
   * `normal`: with WAL, a commit is in the log (the OS has it) before it returns, so every
   * state change survives a crash of the process (kill -9, OOM, Ctrl-C), which is what a batch
   * meets; only an OS crash or power loss can lose the last commits. `full`: also fsyncs the log
   * at each commit, surviving power loss, at about ten times the cost per change.
   * @default 'normal'
   */
  synchronous?: 'normal' | 'full';
}

interface RawRow {
  line: number;
  hash: string;
  state: LineState;
  method: string | null;
  task_id: string | null;
  submitted_at: number | null;
  unsolvable: number;
  lost_submits: number;
  record: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lines (
  line INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN (${LINE_STATES.map((s) => `'${s}'`).join(', ')})),
  method TEXT,
  task_id TEXT,
  submitted_at INTEGER,
  unsolvable INTEGER NOT NULL DEFAULT 0,
  lost_submits INTEGER NOT NULL DEFAULT 0,
  record TEXT,
  updated_at INTEGER NOT NULL
);
`;

/**
 * The journal in one SQLite file (better-sqlite3: synchronous, so a state change is on disk
 * before the next line of the runner runs). WAL mode, and an exclusive lock held while the run
 * lasts: a second run on the same journal fails at once instead of submitting the same lines.
 */
export class SqliteJournalStore implements JournalStore {
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<SqliteJournalStore['prepare']>;
  /** One transaction wrapper, made once: better-sqlite3 builds one per call otherwise. */
  private readonly inTransaction: (work: () => void) => void;

  constructor(path: string, options: SqliteJournalOptions = {}) {
    let db: Database.Database | undefined;
    try {
      this.db = db = new Database(path, { timeout: 0 });
      // Small pages: each state change commits its page to the log, and a row (a result line
      // at most) is far smaller than the 4 KB default. Takes effect when the file is created.
      this.db.pragma('page_size = 1024');
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      // The first write takes the exclusive lock, before anything else happens.
      this.db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`);
      // A file cut short or damaged can still open and then answer some queries wrongly (a
      // line's state from a stale index): checked once here, it is called corrupt up front.
      const check = this.db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
    } catch (error) {
      if (db?.open) db.close();
      throw openError(path, error);
    }
    this.stmt = this.prepare();
    this.inTransaction = this.db.transaction((work: () => void) => work());
    const format = this.readMeta(META.format);
    if (format === undefined) this.writeMeta(META.format, JOURNAL_FORMAT);
    else if (format !== JOURNAL_FORMAT) {
      this.db.close();
      throw new JournalOpenError(`${path} is a journal of another format (${format})`);
    }
  }

  readMeta(name: string): string | undefined {
    const row = this.stmt.getMeta.get(name) as { value: string } | undefined;
    return row?.value;
  }

  writeMeta(name: string, value: string): void {
    this.stmt.setMeta.run(name, value);
  }

  get(line: number): JournalRow | undefined {
    const raw = this.stmt.get.get(line) as RawRow | undefined;
    return raw && toRow(raw);
  }

  maxLine(): number {
    return (this.stmt.maxLine.get() as { max: number | null }).max ?? 0;
  }

  writtenRecords(afterLine: number, limit: number): Array<{ line: number; record: string }> {
    return this.stmt.writtenRecords.all(afterLine, limit) as Array<{
      line: number;
      record: string;
    }>;
  }

  hashes(afterLine: number, limit: number): Array<{ line: number; hash: string }> {
    return this.stmt.hashes.all(afterLine, limit) as Array<{ line: number; hash: string }>;
  }

  rowsInState(state: LineState, limit: number): JournalRow[] {
    return (this.stmt.inState.all(state, limit) as RawRow[]).map(toRow);
  }

  counts(): Record<LineState, number> {
    const counts = Object.fromEntries(LINE_STATES.map((s) => [s, 0])) as Record<LineState, number>;
    for (const { state, n } of this.stmt.counts.all() as Array<{ state: LineState; n: number }>) {
      counts[state] = n;
    }
    return counts;
  }

  submitting(key: LineKey, method: string, at: number): void {
    this.change('submitting', key.line, key.hash, () =>
      this.stmt.submitting.run({ ...key, method, at }),
    );
  }

  queued(key: LineKey, method: string, at: number, unsolvable: number): void {
    this.change('queued', key.line, key.hash, () =>
      this.stmt.queued.run({ ...key, method, at, unsolvable }),
    );
  }

  ambiguous(line: number, at: number): void {
    this.change('ambiguous', line, undefined, () => this.stmt.ambiguous.run({ line, at }));
  }

  accepted(line: number, taskId: string, submittedAt: number, at: number): void {
    this.change('accepted', line, undefined, () =>
      this.stmt.accepted.run({ line, taskId, submittedAt, at }),
    );
  }

  done(key: LineKey, record: string, at: number): void {
    this.change('done', key.line, key.hash, () => this.stmt.done.run({ ...key, record, at }));
  }

  written(lines: readonly number[], outCommitted: number | undefined, at: number): void {
    this.inTransaction(() => {
      for (const line of lines)
        this.change('written', line, undefined, () => this.stmt.written.run({ line, at }));
      if (outCommitted !== undefined) this.writeMeta(META.outCommitted, String(outCommitted));
    });
  }

  forgetService(at: number): number {
    return this.stmt.forgetService.run({ at }).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * One guarded statement (atomic on its own): it changes the row only from a state the
   * transition allows, and with the same hash. When it changes nothing, the row is read to say
   * why, with the same rule the in-memory store applies.
   */
  private change(
    transition: Transition,
    line: number,
    hash: string | undefined,
    apply: () => Database.RunResult,
  ): void {
    if (apply().changes === 1) return;
    checkTransition(transition, line, this.get(line), hash);
    throw new JournalStateError(`line ${line}: ${transition} changed nothing`);
  }

  private prepare() {
    const db = this.db;
    const from = (transition: Transition): string =>
      `state IN (${ALLOWED_FROM[transition]
        .filter((st) => st !== 'absent')
        .map((st) => `'${st}'`)
        .join(', ')})`;
    const upsert = (state: Transition, insert: string, set: string): Database.Statement =>
      db.prepare(
        `INSERT INTO lines (line, hash, state, method, unsolvable, record, updated_at)
         VALUES (@line, @hash, '${state}', ${insert}, @at)
         ON CONFLICT (line) DO UPDATE SET state = '${state}', updated_at = @at, ${set}
         WHERE lines.${from(state)} AND lines.hash = excluded.hash`,
      );
    const update = (state: Transition, set: string): Database.Statement =>
      db.prepare(
        `UPDATE lines SET state = '${state}', updated_at = @at, ${set} WHERE line = @line AND ${from(state)}`,
      );
    return {
      getMeta: db.prepare('SELECT value FROM meta WHERE name = ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      ),
      get: db.prepare('SELECT * FROM lines WHERE line = ?'),
      maxLine: db.prepare('SELECT max(line) AS max FROM lines'),
      hashes: db.prepare('SELECT line, hash FROM lines WHERE line > ? ORDER BY line LIMIT ?'),
      writtenRecords: db.prepare(
        `SELECT line, record FROM lines WHERE line > ? AND state = 'written' AND record IS NOT NULL
         ORDER BY line LIMIT ?`,
      ),
      inState: db.prepare('SELECT * FROM lines WHERE state = ? ORDER BY line LIMIT ?'),
      forgetService: db.prepare(
        `UPDATE lines SET state = 'queued', task_id = NULL, submitted_at = NULL, updated_at = @at
         WHERE state IN ('accepted', 'submitting', 'ambiguous')`,
      ),
      counts: db.prepare('SELECT state, count(*) AS n FROM lines GROUP BY state'),
      submitting: upsert('submitting', '@method, 0, NULL', 'method = @method'),
      queued: upsert(
        'queued',
        '@method, @unsolvable, NULL',
        'method = @method, task_id = NULL, submitted_at = NULL, unsolvable = @unsolvable',
      ),
      done: upsert('done', 'NULL, 0, @record', 'record = @record'),
      ambiguous: update('ambiguous', 'lost_submits = lost_submits + 1'),
      accepted: update('accepted', 'task_id = @taskId, submitted_at = @submittedAt'),
      // The record stays: a finished batch can show its results again (--replay).
      written: update('written', 'record = record'),
    };
  }
}

function toRow(raw: RawRow): JournalRow {
  return {
    line: raw.line,
    hash: raw.hash,
    state: raw.state,
    method: raw.method ?? undefined,
    taskId: raw.task_id ?? undefined,
    submittedAt: raw.submitted_at ?? undefined,
    unsolvable: raw.unsolvable,
    lostSubmits: raw.lost_submits,
    record: raw.record ?? undefined,
  };
}

function openError(path: string, error: unknown): JournalOpenError {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_BUSY') {
    return new JournalOpenError(`${path} is in use by another batch run`, { cause: error });
  }
  if (code === 'SQLITE_NOTADB') {
    return new JournalOpenError(`${path} is not a journal (not an SQLite file)`, { cause: error });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
    const detail = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
    return new JournalOpenError(
      `the journal ${path} is corrupt (${detail}): it cannot tell which lines are done. Restore it from a copy, or move it away (or give another --journal) and run again with --append to solve every line again`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Could not locate the bindings file')) {
    // Installed with its install script skipped (--ignore-scripts): the native part was not built.
    return new JournalOpenError(
      'better-sqlite3 is installed without its native part, which its install script builds: npm rebuild better-sqlite3',
      { cause: error },
    );
  }
  return new JournalOpenError(`cannot open the journal ${path}: ${message}`, { cause: error });
}
