import type { Clock } from '../time/clock.js';
import type { BatchStats } from './batch-stats.js';
import type { JournalStore, LineKey } from './journal-store.js';
import { recordOutcome, type OutputRecord } from './output-record.js';
import type { RecordWriter } from './record-writer.js';

/**
 * Gives a line its result: journaled as `done` first (with the exact text), then written. A
 * crash in between leaves a `done` line that the next run writes; see reconcileOutput for a
 * crash after the write.
 */
export class ResultRecorder {
  constructor(
    private readonly journal: JournalStore,
    private readonly writer: RecordWriter,
    private readonly stats: BatchStats,
    private readonly clock: Clock,
    private readonly redact: (text: string) => string,
  ) {}

  finish(key: LineKey, record: OutputRecord): void {
    // Masked before it is stored: the journal must not hold the key either.
    const text = this.redact(JSON.stringify(record));
    this.journal.done(key, text, this.clock.now());
    this.stats.result(record.status === 'ok', record.status === 'ok' ? 'ok' : record.error);
    this.writer.push(key.line, text);
  }

  /** A result an earlier run decided but did not write. */
  replay(line: number, text: string): void {
    const { ok, code } = recordOutcome(text);
    this.stats.result(ok, code);
    this.stats.resumedRecords++;
    this.writer.push(line, text);
  }
}
