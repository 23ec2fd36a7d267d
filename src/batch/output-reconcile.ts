import { META, type JournalStore } from './journal-store.js';
import type { FileSink, OutputSink } from './output-sink.js';

/** Most `done` rows a crash can leave: the open tasks and one batch. Far more, to be safe. */
const DONE_ROWS_LIMIT = 1_000_000;

/**
 * The output file holds results this journal did not write: a new journal (or one whose latest
 * state was lost with its -wal file after an unclean stop) would submit those lines again and
 * append their results a second time.
 */
export class UnknownResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownResultsError';
  }
}

export interface ReconcileResult {
  /** `done` lines found already in the output (a crash hit between write and mark). */
  recovered: number;
  /** Bytes of a half-written last line that were cut off. */
  truncatedBytes: number;
  /** Something the user should know (the output changed since the journal last wrote). */
  note: string | undefined;
}

/**
 * Closes the one gap between an output line and its journal mark: a crash after the line was
 * fsynced but before `written` was committed. The journal stores the output's size after every
 * batch it marked (in the same transaction), so any complete line past that size is one of the
 * `done` records: it is marked `written` now instead of being written twice. A half-written last
 * line is cut off; its record is still `done` and will be written whole. Results the journal
 * cannot account for (a new journal on a used file, a journal that lost its latest state) stop the
 * run before anything is sent: UnknownResultsError.
 */
export function reconcileOutput(
  journal: JournalStore,
  sink: OutputSink,
  at: number,
  options: { append?: boolean } = {},
): ReconcileResult {
  const previous = journal.readMeta(META.out);
  const result: ReconcileResult = { recovered: 0, truncatedBytes: 0, note: undefined };
  const file = isFileSink(sink) ? sink : undefined;
  if (previous !== sink.name) {
    if (file && file.size > 0 && options.append !== true) {
      throw new UnknownResultsError(
        `${file.name} already holds ${file.size.toLocaleString('en-US')} bytes of results that this journal did not write: with it, those lines would be submitted and written again. Run with the journal that wrote them, or give another --out`,
      );
    }
    if (previous !== undefined && journal.counts().done > 0) {
      result.note = `the journal wrote to ${previous} before; results decided then but not yet written go to ${sink.name}`;
    }
    journal.writeMeta(META.out, sink.name);
    if (file) journal.writeMeta(META.outCommitted, String(file.size));
    return result;
  }
  if (!file) return result;
  const committed = Number(journal.readMeta(META.outCommitted) ?? file.size);
  if (file.size < committed) {
    result.note = `${file.name} is shorter than when this journal last wrote to it (edited?)`;
    journal.writeMeta(META.outCommitted, String(file.size));
    return result;
  }
  if (file.size === committed) return result;
  const tail = file.read(committed, file.size);
  const end = tail.lastIndexOf(0x0a) + 1;
  if (end < tail.length) {
    file.truncate(committed + end);
    result.truncatedBytes = tail.length - end;
  }
  const lines = tail.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
  const byRecord = new Map<string, number[]>();
  for (const row of journal.rowsInState('done', DONE_ROWS_LIMIT)) {
    if (row.record === undefined) continue;
    byRecord.set(row.record, [...(byRecord.get(row.record) ?? []), row.line]);
  }
  const recovered: number[] = [];
  let unknown = 0;
  for (const text of lines) {
    const line = byRecord.get(text)?.shift();
    if (line !== undefined) recovered.push(line);
    else unknown++;
  }
  if (unknown > 0 && options.append !== true) {
    // Every line past the committed size is a `done` record written just before a crash; any
    // other means the journal lost what it had written (a deleted -wal file, an older copy).
    throw new UnknownResultsError(
      `${file.name} holds ${unknown} results past what this journal recorded writing (was its -wal file lost after an unclean stop, or an older copy restored?): resuming would submit those lines again and write them twice. Run with the journal that wrote them, or give another --out`,
    );
  }
  journal.written(recovered, committed + end, at);
  result.recovered = recovered.length;
  return result;
}

function isFileSink(sink: OutputSink): sink is FileSink {
  return typeof (sink as Partial<FileSink>).truncate === 'function';
}
