import {
  checkTransition,
  JOURNAL_FORMAT,
  LINE_STATES,
  META,
  type JournalRow,
  type JournalStore,
  type LineKey,
  type LineState,
  type Transition,
} from './journal-store.js';

/**
 * A journal that lives as long as the process: for tests and for runs where resuming does not
 * matter. Same transitions and refusals as the SQLite store (one behavioural suite runs on both).
 */
export class MemoryJournalStore implements JournalStore {
  private readonly meta = new Map<string, string>([[META.format, JOURNAL_FORMAT]]);
  private readonly rows = new Map<number, JournalRow>();

  readMeta(name: string): string | undefined {
    return this.meta.get(name);
  }

  writeMeta(name: string, value: string): void {
    this.meta.set(name, value);
  }

  get(line: number): JournalRow | undefined {
    const row = this.rows.get(line);
    return row && { ...row };
  }

  maxLine(): number {
    let max = 0;
    for (const line of this.rows.keys()) max = Math.max(max, line);
    return max;
  }

  writtenRecords(afterLine: number, limit: number): Array<{ line: number; record: string }> {
    return this.sorted((row) => row.line > afterLine && row.state === 'written', limit).flatMap(
      ({ line, record }) => (record === undefined ? [] : [{ line, record }]),
    );
  }

  hashes(afterLine: number, limit: number): Array<{ line: number; hash: string }> {
    return this.sorted((row) => row.line > afterLine, limit).map(({ line, hash }) => ({
      line,
      hash,
    }));
  }

  rowsInState(state: LineState, limit: number): JournalRow[] {
    return this.sorted((row) => row.state === state, limit);
  }

  counts(): Record<LineState, number> {
    const counts = Object.fromEntries(LINE_STATES.map((s) => [s, 0])) as Record<LineState, number>;
    for (const row of this.rows.values()) counts[row.state]++;
    return counts;
  }

  submitting(key: LineKey, method: string, _at: number): void {
    const row = this.checked('submitting', key.line, key.hash) ?? this.fresh(key);
    this.rows.set(key.line, { ...row, state: 'submitting', method });
  }

  queued(key: LineKey, method: string, _at: number, unsolvable: number): void {
    const row = this.checked('queued', key.line, key.hash) ?? this.fresh(key);
    this.rows.set(key.line, {
      ...row,
      state: 'queued',
      method,
      taskId: undefined,
      submittedAt: undefined,
      unsolvable,
    });
  }

  ambiguous(line: number, _at: number): void {
    const row = this.existing('ambiguous', line);
    this.rows.set(line, { ...row, state: 'ambiguous', lostSubmits: row.lostSubmits + 1 });
  }

  accepted(line: number, taskId: string, submittedAt: number, _at: number): void {
    const row = this.existing('accepted', line);
    this.rows.set(line, { ...row, state: 'accepted', taskId, submittedAt });
  }

  done(key: LineKey, record: string, _at: number): void {
    const row = this.checked('done', key.line, key.hash) ?? this.fresh(key);
    this.rows.set(key.line, { ...row, state: 'done', record });
  }

  written(lines: readonly number[], outCommitted: number | undefined, _at: number): void {
    // All or nothing, as the SQLite store's transaction.
    for (const line of lines) checkTransition('written', line, this.rows.get(line));
    for (const line of lines) {
      const row = this.rows.get(line);
      if (row) this.rows.set(line, { ...row, state: 'written' });
    }
    if (outCommitted !== undefined) this.meta.set(META.outCommitted, String(outCommitted));
  }

  forgetService(_at: number): number {
    let moved = 0;
    for (const [line, row] of this.rows) {
      if (row.state !== 'accepted' && row.state !== 'submitting' && row.state !== 'ambiguous')
        continue;
      this.rows.set(line, { ...row, state: 'queued', taskId: undefined, submittedAt: undefined });
      moved++;
    }
    return moved;
  }

  close(): void {
    // Nothing to release.
  }

  private checked(
    transition: Transition,
    line: number,
    hash: string | undefined,
  ): JournalRow | undefined {
    const row = this.rows.get(line);
    checkTransition(transition, line, row, hash);
    return row;
  }

  private existing(transition: Transition, line: number): JournalRow {
    const row = this.checked(transition, line, undefined);
    // checkTransition refuses `absent` for these transitions; this satisfies the compiler.
    if (!row) throw new Error(`line ${line}: no row`);
    return row;
  }

  private fresh(key: LineKey): JournalRow {
    return {
      line: key.line,
      hash: key.hash,
      state: 'queued',
      method: undefined,
      taskId: undefined,
      submittedAt: undefined,
      unsolvable: 0,
      lostSubmits: 0,
      record: undefined,
    };
  }

  private sorted(keep: (row: JournalRow) => boolean, limit: number): JournalRow[] {
    return [...this.rows.values()]
      .filter(keep)
      .sort((a, b) => a.line - b.line)
      .slice(0, limit)
      .map((row) => ({ ...row }));
  }
}
