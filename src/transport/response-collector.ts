import type { Dispatcher } from 'undici';
import { NetworkError } from '../errors/network-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { ApiResponse } from './types.js';

/** What bounds an answer: its size, and its time from send to the last byte. */
export interface AnswerLimits {
  maxBytes: number;
  timeoutMs: number;
  /** The server's host and port, for messages. */
  host: string;
}

/**
 * An undici dispatch handler that gathers one small answer into a string. The API's answers are
 * a few dozen bytes, so it skips what `undici.request` builds for each call (an AsyncResource, a
 * Readable stream for the body, the body mixin's consumer): for the same wire bytes it yields
 * what `request()` followed by `body.text()` would (header names in lower case, repeated
 * headers joined, a leading UTF-8 BOM dropped).
 */
export class ResponseCollector implements Dispatcher.DispatchHandlers {
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private abortRequest: ((reason?: Error) => void) | undefined;
  private reason: unknown;
  private aborted = false;
  private settled = false;

  constructor(
    private readonly resolve: (response: ApiResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly limits: AnswerLimits,
    /** performance.now() after which the answer is given up (checked as its bytes arrive). */
    private readonly giveUpAt: number,
  ) {}

  /**
   * Aborts the request (its signal aborted): the caller hears at once, even while the request
   * still waits for a connection; undici drops it on connect.
   */
  abort(reason?: unknown): void {
    if (this.aborted || this.settled) return;
    this.aborted = true;
    this.settled = true;
    this.reason = reason;
    this.abortRequest?.(reason instanceof Error ? reason : undefined);
    this.reject(reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.aborted) {
      abort(this.reason instanceof Error ? this.reason : undefined);
      return;
    }
    this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    // 1xx answers (100 Continue) come before the real one.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.headers = flattenRawHeaders(rawHeaders ?? []);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    const { maxBytes, timeoutMs, host } = this.limits;
    if (this.length + chunk.length > maxBytes) {
      // An answer of the API is a few hundred bytes: a bigger one is not one, and held whole
      // (a body without end) it would take the process's memory.
      this.fail(
        new ProtocolError(
          `answer from ${host} larger than ${maxBytes} bytes (the limit is maxResponseBytes)`,
        ),
      );
      return false;
    }
    // The undici timeouts bound each wait for a byte, not the whole: one byte a second would
    // hold a request for ever.
    if (performance.now() > this.giveUpAt) {
      this.fail(
        new NetworkError(
          'ETIMEDOUT',
          `Answer from ${host} not complete within ${timeoutMs} ms (it comes too slowly)`,
          true,
        ),
      );
      return false;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    let body: string;
    try {
      body = decodeBody(this.chunks, this.length);
    } catch (error) {
      this.reject(new ProtocolError(`answer body could not be decoded (${String(error)})`));
      return;
    }
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  /** Ends the request with `error`: the caller hears it as it is, and the socket is dropped. */
  private fail(error: Error): void {
    this.settled = true;
    this.chunks.length = 0;
    this.abortRequest?.(error);
    this.reject(error);
  }
}

function decodeBody(chunks: readonly Buffer[], length: number): string {
  if (chunks.length === 0 || length === 0) return '';
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const bom = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0);
}

/** Raw `[name, value, ...]` headers as one lower-case record; repeated headers joined by ', '. */
export function flattenRawHeaders(raw: ReadonlyArray<Buffer | string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]?.toString('latin1').toLowerCase() as string;
    const value = raw[i + 1]?.toString('utf8') as string;
    const previous = out[name];
    out[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return out;
}
