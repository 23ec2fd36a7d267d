import type { JournalStore } from './journal-store.js';
import type { InputLine } from './line-reader.js';
import { hashLine } from './task-line.js';

/** The journal was made for other input: resuming would mix up two batches. */
export class InputChangedError extends Error {
  constructor(detail: string) {
    super(
      `the journal belongs to different input: ${detail}. Use another --journal for this input, or delete the journal to start over`,
    );
    this.name = 'InputChangedError';
  }
}

const PAGE = 10_000;

/**
 * Compares the input with the journal, before a resumed run does anything: every journaled line
 * must still be there, with the same text. Reads the journal page by page and the input once,
 * up to the last journaled line only, so checking costs nothing on a fresh journal.
 */
export async function verifyInput(
  lines: AsyncIterable<InputLine>,
  journal: JournalStore,
): Promise<void> {
  const iterator = lines[Symbol.asyncIterator]();
  let current: InputLine | undefined;
  let after = 0;
  try {
    for (;;) {
      const page = journal.hashes(after, PAGE);
      if (page.length === 0) return;
      for (const { line, hash } of page) {
        while (current === undefined || current.lineNo < line) {
          const next = await iterator.next();
          if (next.done)
            throw new InputChangedError(
              `it has results for line ${line}, past the end of this input`,
            );
          current = next.value;
        }
        if (current.lineNo !== line)
          throw new InputChangedError(`line ${line} is blank in this input`);
        if (hashLine(current.text) !== hash) throw new InputChangedError(`line ${line} differs`);
      }
      after = page[page.length - 1]?.line ?? after;
    }
  } finally {
    await iterator.return?.();
  }
}
