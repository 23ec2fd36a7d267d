import { serviceName } from '../transport/base-url.js';
import { InputChangedError, verifyInput } from './input-check.js';
import { describeDigest, inputDigest } from './input-digest.js';
import { META, type JournalStore } from './journal-store.js';
import { readInputFile } from './line-reader.js';
import { openSqliteJournal } from './open-sqlite-journal.js';

/** The journal's tasks live on another service than this run's: they cannot be collected here. */
export class ServiceChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceChangedError';
  }
}

/** The journal's tasks were sent with another key: this one cannot collect them. */
export class AccountChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountChangedError';
  }
}

/** The service name of a run against the embedded simulator. */
export const EMBEDDED_SIMULATOR = 'the embedded simulator';

export interface PrepareJournalInput {
  path: string;
  synchronous: 'normal' | 'full';
  /** Where this run's tasks go: the base URL, or a name for the embedded simulator. */
  service: string;
  /** The account's fingerprint (accountFingerprint), never the key. */
  account: string;
  /**
   * The service is new on every run and holds none of an earlier run's tasks (the embedded
   * simulator): tasks the journal has on it are submitted again instead of polled.
   */
  serviceForgets: boolean;
  /** The input file, checked against the journal; `-` (stdin) is checked line by line instead. */
  tasks: string;
  now: number;
}

export interface PreparedJournal {
  journal: JournalStore;
  /** Lines an earlier run had on a service that forgets (serviceForgets), now queued again. */
  requeued: number;
}

/**
 * Opens the journal for a run and refuses, before anything is sent, to resume one that belongs
 * elsewhere: tasks accepted by another service or under another key, or another input, changed
 * anywhere in the file (JournalOpenError, ServiceChangedError, AccountChangedError,
 * InputChangedError).
 */
export async function prepareJournal(input: PrepareJournalInput): Promise<PreparedJournal> {
  const journal = await openSqliteJournal(input.path, { synchronous: input.synchronous });
  try {
    const counts = journal.counts();
    const onService = counts.accepted + counts.submitting + counts.ambiguous;
    // Compared by name: a journal written with the URL as given (a trailing slash, credentials)
    // is the same service.
    const stored = journal.readMeta(META.service);
    const previous = stored === undefined ? undefined : serviceName(stored);
    if (previous !== undefined && previous !== input.service && onService > 0) {
      throw new ServiceChangedError(
        `${input.path} has ${onService} tasks on ${previous}, not on ${input.service}: run against the same service, or use another journal`,
      );
    }
    if (previous !== undefined && previous !== input.service && journal.maxLine() > 0) {
      const simulated = [previous, input.service].find((name) => name === EMBEDDED_SIMULATOR);
      if (simulated !== undefined) {
        // A simulator's answers are not the service's, nor the other way round: resuming across
        // the two would print one's results as the other's ("nothing to do" on a real run).
        throw new ServiceChangedError(
          `${input.path} holds results from ${previous}, and this run goes to ${input.service}: use another journal`,
        );
      }
    }
    const account = journal.readMeta(META.account);
    if (account !== undefined && account !== input.account && onService > 0) {
      throw new AccountChangedError(
        `${input.path} has ${onService} tasks sent with another key (fingerprint ${account}), not this one (${input.account}): run with the same key, or use another journal`,
      );
    }
    journal.writeMeta(META.service, input.service);
    journal.writeMeta(META.account, input.account);
    if (journal.readMeta(META.input) === undefined) journal.writeMeta(META.input, input.tasks);
    if (input.tasks !== '-') await checkWholeInput(journal, input.tasks);
    const requeued = input.serviceForgets && onService > 0 ? journal.forgetService(input.now) : 0;
    return { journal, requeued };
  } catch (error) {
    journal.close();
    throw error;
  }
}

/**
 * The journal is bound to the whole input file: a digest taken when it was made must match, and
 * a journal from before digests has its lines compared one by one and then gets one.
 */
async function checkWholeInput(journal: JournalStore, tasks: string): Promise<void> {
  const digest = await inputDigest(tasks);
  const made = journal.readMeta(META.inputDigest);
  if (made !== undefined && made !== digest && journal.maxLine() > 0) {
    throw new InputChangedError(
      `the file changed since the journal began (${describeDigest(made)} then, ${describeDigest(digest)} now)`,
    );
  }
  if (made === undefined && journal.maxLine() > 0) {
    await verifyInput(readInputFile(tasks), journal);
  }
  journal.writeMeta(META.inputDigest, digest);
}
