import type { JournalRow } from './journal-store.js';

/** What one input line needs, given what the journal knows of it. */
export type LinePlan =
  /** The journal holds another text for this line: it belongs to other input. */
  | { kind: 'changed' }
  /** An earlier run wrote its result. */
  | { kind: 'skip' }
  /** An earlier run decided its result but did not write it. */
  | { kind: 'replay'; record: string }
  /** The service holds its task: poll it, never submit it again. */
  | { kind: 'collect'; taskId: string; submittedAt: number | undefined }
  /** A submit's answer was lost (`ended`: a run ended while it was on the wire). */
  | { kind: 'lost'; ended: boolean }
  /** Nothing of it is on the service: parse it, and submit it. */
  | { kind: 'submit' };

/** The resume rule, one line at a time; pure, so every journal state has its answer here. */
export function planLine(row: JournalRow | undefined, hash: string): LinePlan {
  if (!row) return { kind: 'submit' };
  if (row.hash !== hash) return { kind: 'changed' };
  switch (row.state) {
    case 'written':
      return { kind: 'skip' };
    case 'done':
      return row.record === undefined ? { kind: 'submit' } : { kind: 'replay', record: row.record };
    case 'accepted':
      return row.taskId === undefined
        ? { kind: 'lost', ended: false }
        : { kind: 'collect', taskId: row.taskId, submittedAt: row.submittedAt };
    case 'submitting':
      return { kind: 'lost', ended: true };
    case 'ambiguous':
      return { kind: 'lost', ended: false };
    case 'queued':
      return { kind: 'submit' };
  }
}
