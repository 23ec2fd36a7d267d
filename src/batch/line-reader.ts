import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** A line of ASCII whitespace only: skipped, not a record (the same rule as countInputLines). */
const BLANK = /^[ \t\r\v\f]*$/;

/** One non-blank input line and where it stands in the file. */
export interface InputLine {
  /** 1-based physical line number: blank lines count, so it matches an editor's. */
  lineNo: number;
  text: string;
}

/**
 * The non-blank lines of a stream, read lazily: readline pauses the stream while the consumer
 * is busy, so a million-line file costs memory for one chunk, not for the file.
 */
export async function* readInputLines(
  stream: NodeJS.ReadableStream,
): AsyncGenerator<InputLine, void, undefined> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo++;
      if (!BLANK.test(text)) yield { lineNo, text };
    }
  } finally {
    lines.close();
  }
}

/** Reads the non-blank lines of a file. */
export function readInputFile(path: string): AsyncGenerator<InputLine, void, undefined> {
  return readInputLines(createReadStream(path));
}

const NEWLINE = 0x0a;

/**
 * Counts a file's non-blank lines with a byte scan (no strings), so the progress display can
 * show a total and an ETA while the run streams the same file. A line counts when it holds a
 * byte other than ASCII whitespace.
 */
export async function countInputLines(path: string, signal?: AbortSignal): Promise<number> {
  let count = 0;
  let blank = true;
  const stream = createReadStream(path, signal ? { signal } : {});
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (byte === NEWLINE) {
        if (!blank) count++;
        blank = true;
      } else if (blank && !isSpace(byte)) blank = false;
    }
  }
  return blank ? count : count + 1;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}
