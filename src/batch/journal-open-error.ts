/** The journal file cannot be used: not ours, not SQLite, held by another run, or no SQLite here. */
export class JournalOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JournalOpenError';
  }
}
