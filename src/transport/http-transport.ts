import { Agent, FormData, request } from 'undici';
import { AbortError } from '../errors/abort-error.js';
import { NetworkError } from '../errors/network-error.js';
import type { ApiRequest, ApiResponse, Transport, TransportCallOptions } from './types.js';

export interface HttpTransportOptions {
  /** Service origin, e.g. `https://ocr.captchaai.com`. */
  baseUrl: string;
  /** Sockets kept open to the service. @default 64 */
  connections?: number;
  /** Time allowed for an answer's headers. @default 30000 */
  requestTimeoutMs?: number;
  /** `/solve.php` answers only once the image is solved, so it gets longer. @default 180000 */
  solveNowTimeoutMs?: number;
}

/** Error codes of requests that surely never reached the service. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends requests over HTTP(S) with keep-alive through one undici Agent. GET requests carry the
 * parameters in the query string, POST requests in a urlencoded or multipart body. The key is part
 * of the request, so no URL is ever put in an error.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const base = new URL(options.baseUrl);
  const agent = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const solveNowTimeoutMs = options.solveNowTimeoutMs ?? 180_000;

  async function send(req: ApiRequest, callOptions: TransportCallOptions = {}): Promise<ApiResponse> {
    const { signal } = callOptions;
    if (signal?.aborted) throw new AbortError(signal.reason);
    const url = new URL(req.endpoint, base);
    const timeout = req.endpoint === 'solve.php' ? solveNowTimeoutMs : requestTimeoutMs;
    let body: string | FormData | undefined;
    const headers: Record<string, string> = {};
    if (req.httpMethod === 'GET') {
      url.search = new URLSearchParams(req.params).toString();
    } else if (req.file) {
      const form = new FormData();
      for (const [name, value] of Object.entries(req.params)) form.append(name, value);
      const blob = new Blob([req.file.data], { type: req.file.contentType });
      form.append(req.file.field, blob, req.file.filename);
      body = form;
    } else {
      body = new URLSearchParams(req.params).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    try {
      const res = await request(url, {
        method: req.httpMethod,
        headers,
        ...(body === undefined ? {} : { body }),
        dispatcher: agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        ...(signal ? { signal } : {}),
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: text };
    } catch (error) {
      throw toTransportError(error, signal);
    }
  }

  return {
    send,
    close: () => agent.close(),
  };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function toTransportError(error: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return new AbortError(signal.reason);
  const code = errorCode(error) ?? 'ENETWORK';
  const sent = !NOT_SENT.has(code);
  return new NetworkError(code, `Request failed before an answer arrived (${code})`, sent, error);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (code === 'UND_ERR_SOCKET') return 'ECONNRESET';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
