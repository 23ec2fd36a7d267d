import { createReadStream } from 'node:fs';

/** One non-blank input line and where it stands in the file. */
export interface InputLine {
  /** 1-based physical line number: blank lines count, so it matches an editor's. */
  lineNo: number;
  text: string;
  /**
   * The line's bytes are not valid UTF-8: it is a bad line, never sent. `text` is then a lossy
   * decoding (U+FFFD for each bad sequence), kept only to identify the line in the journal.
   */
  notUtf8?: true;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The one line rule, shared by readInputLines and countInputLines so that the progress total is
 * the number of lines the run reads:
 * - LF, CRLF and a bare CR each end a line (as editors and readline do); CRLF ends one line,
 *   also when the CR ends one chunk and the LF starts the next;
 * - a UTF-8 byte-order mark at the very start of the input is dropped (anywhere else it is data);
 * - a line of ASCII whitespace only (space, tab, VT, FF) is blank: skipped, but counted in the
 *   line numbers, which are 1-based physical line numbers under this rule;
 * - a last line without a line break is a line.
 *
 * Works on bytes, with Buffer.indexOf, and holds one chunk plus the unfinished line (its pieces,
 * when `keep`; only whether it is blank so far, when not: the counter needs no bytes).
 */
export class LineSplitter {
  /** The physical line number of the line the last yield (or break) ended. */
  lineNo = 0;
  private pieces: Buffer[] = [];
  /** The unfinished line has bytes (held in `pieces` when keeping them). */
  private open = false;
  /** The unfinished line is blank so far. */
  private blank = true;
  /** The last chunk ended with a CR: an LF starting the next one is the same break. */
  private afterCr = false;
  /** The input's first bytes, held until they tell whether they are a BOM; undefined after. */
  private head: Buffer | undefined = EMPTY;

  constructor(private readonly keep: boolean) {}

  /** The non-blank lines `chunk` completes (read `lineNo` as each is yielded). */
  *feed(chunk: Buffer): Generator<Buffer, void, undefined> {
    if (this.head !== undefined) {
      const data = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (data.length < BOM.length && BOM.subarray(0, data.length).equals(data)) {
        this.head = data;
        return;
      }
      this.head = undefined;
      chunk = BOM.equals(data.subarray(0, BOM.length)) ? data.subarray(BOM.length) : data;
    }
    yield* this.scan(chunk);
  }

  /** The last line, if the input does not end with a line break. */
  *end(): Generator<Buffer, void, undefined> {
    const head = this.head;
    this.head = undefined;
    if (head !== undefined && head.length > 0) yield* this.scan(head);
    if (!this.open) return;
    const line = this.finish(EMPTY, 0, 0);
    if (line !== undefined) yield line;
  }

  private *scan(chunk: Buffer): Generator<Buffer, void, undefined> {
    let start = 0;
    if (this.afterCr && chunk.length > 0) {
      this.afterCr = false;
      if (chunk[0] === LF) start = 1;
    }
    // The next LF and CR at or after `start`; -1 once the chunk holds no more; -2 not looked for.
    let lf = -2;
    let cr = -2;
    for (;;) {
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      const line = this.finish(chunk, start, end);
      if (line !== undefined) yield line;
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.afterCr = true;
        else if (chunk[start] === LF) start++;
      }
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.blank) this.blank = isBlank(rest);
      if (this.keep) this.pieces.push(rest);
      this.open = true;
    }
  }

  /** Ends a line at `chunk[end]`: its bytes, or undefined for a blank line. */
  private finish(chunk: Buffer, start: number, end: number): Buffer | undefined {
    this.lineNo++;
    const tail = chunk.subarray(start, end);
    if (!this.open) return isBlank(tail) ? undefined : tail;
    const blank = this.blank && isBlank(tail);
    const pieces = this.pieces;
    this.pieces = [];
    this.open = false;
    this.blank = true;
    if (blank) return undefined;
    return this.keep ? Buffer.concat([...pieces, tail]) : tail;
  }
}

/** ASCII whitespace only (CR and LF never reach here: they end lines). */
function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0b && byte !== 0x0c) return false;
  }
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A line's text, or a bad line when its bytes are not UTF-8 (never U+FFFD sent as data). */
function decodeLine(lineNo: number, bytes: Buffer): InputLine {
  try {
    return { lineNo, text: utf8.decode(bytes) };
  } catch {
    return { lineNo, text: bytes.toString('utf8'), notUtf8: true };
  }
}

function asBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * The non-blank lines of a stream, read lazily under LineSplitter's rule: the stream is pulled
 * one chunk at a time while the consumer is busy, so a million-line file costs memory for one
 * chunk plus one line, not for the file. Returning early destroys the stream (closes the file).
 */
export async function* readInputLines(
  stream: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
): AsyncGenerator<InputLine, void, undefined> {
  const splitter = new LineSplitter(true);
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    for (const bytes of splitter.feed(asBuffer(chunk))) yield decodeLine(splitter.lineNo, bytes);
  }
  for (const bytes of splitter.end()) yield decodeLine(splitter.lineNo, bytes);
}

/** Reads the non-blank lines of a file. */
export function readInputFile(path: string): AsyncGenerator<InputLine, void, undefined> {
  return readInputLines(createReadStream(path));
}

/** Counts a stream's non-blank lines: exactly the lines readInputLines yields, without strings. */
export async function countLines(
  stream: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
): Promise<number> {
  const splitter = new LineSplitter(false);
  let count = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    for (const _ of splitter.feed(asBuffer(chunk))) count++;
  }
  for (const _ of splitter.end()) count++;
  return count;
}

/**
 * Counts a file's non-blank lines, so the progress display can show a total and an ETA while
 * the run streams the same file.
 */
export function countInputLines(path: string, signal?: AbortSignal): Promise<number> {
  return countLines(createReadStream(path, signal ? { signal } : {}));
}
