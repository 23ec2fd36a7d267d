import { JournalOpenError } from './journal-open-error.js';
import type { JournalStore } from './journal-store.js';
import type { SqliteJournalOptions } from './sqlite-journal-store.js';

/** What to run when better-sqlite3 is missing: it is optional, so the library installs light. */
const SQLITE_MISSING =
  'captchaai batch keeps its journal in SQLite and needs the optional package better-sqlite3: ' +
  'npm install better-sqlite3 (beside captchaai; for a global install: npm install -g captchaai better-sqlite3)';

/**
 * Opens the SQLite journal, loading better-sqlite3 (a native addon) only now: the library and
 * every other command run without it, and a missing one is named with how to install it.
 */
export async function openSqliteJournal(
  path: string,
  options: SqliteJournalOptions = {},
): Promise<JournalStore> {
  const { SqliteJournalStore } = await import('./sqlite-journal-store.js').catch(
    (error: unknown) => {
      throw isMissingSqlite(error) ? new JournalOpenError(SQLITE_MISSING, { cause: error }) : error;
    },
  );
  return new SqliteJournalStore(path, options);
}

function isMissingSqlite(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes('better-sqlite3')
  );
}
