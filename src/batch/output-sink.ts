import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { resolve } from 'node:path';

/** Where result lines go. */
export interface OutputSink {
  /** Absolute path of the file, or `-` for a stream (stdout). */
  readonly name: string;
  /**
   * Appends complete lines. Resolves once they are as durable as this sink can make them: with
   * the file's size after them for a file (fsynced), undefined for a stream (handed to the OS).
   */
  append(text: string): Promise<number | undefined>;
  close(): void;
}

/**
 * An output file opened for appending (created when missing) and fsynced after every batch of
 * lines, so a line the journal marks `written` survives a crash of the process or the machine.
 * Writes are synchronous: a batch is small, and nothing else may run between the write and the
 * journal's `written` mark but the fsync itself.
 */
export class FileSink implements OutputSink {
  readonly name: string;
  private readonly fd: number;
  private bytes: number;

  constructor(path: string) {
    this.name = resolve(path);
    this.fd = openSync(this.name, 'a+');
    this.bytes = fstatSync(this.fd).size;
  }

  /** The file's size in bytes. */
  get size(): number {
    return this.bytes;
  }

  append(text: string): Promise<number> {
    const data = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset);
    fsyncSync(this.fd);
    this.bytes += data.length;
    return Promise.resolve(this.bytes);
  }

  /** Bytes `from`..`to` of the file (for reconciling a crashed run's last lines). */
  read(from: number, to: number): Buffer {
    const buffer = Buffer.alloc(Math.max(0, to - from));
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(this.fd, buffer, done, buffer.length - done, from + done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  }

  /** Cuts a half-written last line off, so the next line does not glue onto it. */
  truncate(size: number): void {
    ftruncateSync(this.fd, size);
    fsyncSync(this.fd);
    this.bytes = size;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * stdout (or any stream). It cannot be fsynced, and what a pipe already took cannot be checked
 * after a crash: a line is marked `written` once the stream accepted it, so a crash in between
 * repeats at most the lines of one batch. Use `--out FILE` for exactly once.
 */
export class StreamSink implements OutputSink {
  readonly name = '-';

  constructor(private readonly stream: { write(chunk: string): unknown }) {}

  append(text: string): Promise<undefined> {
    const stream = this.stream as Partial<NodeJS.WritableStream>;
    // A plain writer (a test's stand-in) has no callback to wait for.
    if (stream.writable === undefined || !stream.write) {
      this.stream.write(text);
      return Promise.resolve(undefined);
    }
    const write = stream.write.bind(stream);
    return new Promise((resolve, reject) => {
      write(text, (error?: Error | null) => (error ? reject(error) : resolve(undefined)));
    });
  }

  close(): void {
    // The stream belongs to the caller.
  }
}
