import { verifyInput } from './input-check.js';
import { META, type JournalStore } from './journal-store.js';
import { readInputFile } from './line-reader.js';
import { SqliteJournalStore } from './sqlite-journal-store.js';

/** The journal's tasks live on another service than this run's: they cannot be collected here. */
export class ServiceChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceChangedError';
  }
}

export interface PrepareJournalInput {
  path: string;
  synchronous: 'normal' | 'full';
  /** Where this run's tasks go: the base URL, or a name for the embedded simulator. */
  service: string;
  /** The input file, checked against the journal; `-` (stdin) is checked line by line instead. */
  tasks: string;
}

/**
 * Opens the journal for a run and refuses, before anything is sent, to resume one that belongs
 * elsewhere: tasks accepted by another service, or another input (JournalOpenError,
 * ServiceChangedError, InputChangedError).
 */
export async function prepareJournal(input: PrepareJournalInput): Promise<JournalStore> {
  const journal = new SqliteJournalStore(input.path, { synchronous: input.synchronous });
  try {
    const previous = journal.readMeta(META.service);
    const counts = journal.counts();
    const onService = counts.accepted + counts.submitting + counts.ambiguous;
    if (previous !== undefined && previous !== input.service && onService > 0) {
      throw new ServiceChangedError(
        `${input.path} has ${onService} tasks on ${previous}, not on ${input.service}: run against the same service, or use another journal`,
      );
    }
    journal.writeMeta(META.service, input.service);
    if (journal.readMeta(META.input) === undefined) journal.writeMeta(META.input, input.tasks);
    if (input.tasks !== '-' && journal.maxLine() > 0) {
      await verifyInput(readInputFile(input.tasks), journal);
    }
    return journal;
  } catch (error) {
    journal.close();
    throw error;
  }
}
