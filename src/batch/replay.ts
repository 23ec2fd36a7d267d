import type { JournalStore } from './journal-store.js';

const PAGE = 10_000;

/** What a replay printed: how many results, and how many of them errors. */
export interface ReplaySummary {
  printed: number;
  errors: number;
}

/**
 * Prints every result the journal has written, in line order, a page at a time (memory for one
 * page, whatever the batch's size): a finished batch's results shown again, without a request to
 * the service and without touching any output file.
 */
export function replayResults(
  journal: JournalStore,
  print: (record: string) => void,
): ReplaySummary {
  const summary: ReplaySummary = { printed: 0, errors: 0 };
  for (let after = 0; ;) {
    const page = journal.writtenRecords(after, PAGE);
    if (page.length === 0) return summary;
    for (const { line, record } of page) {
      print(record);
      summary.printed++;
      if (isError(record)) summary.errors++;
      after = line;
    }
  }
}

function isError(record: string): boolean {
  try {
    return (JSON.parse(record) as { status?: unknown }).status !== 'ok';
  } catch {
    return true;
  }
}
