import { FormData, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { AbortError } from '../errors/abort-error.js';
import { CaptchaAIError } from '../errors/captchaai-error.js';
import { NetworkError } from '../errors/network-error.js';
import { AbortFanout } from '../time/abort-fanout.js';
import { parseBaseUrl } from './base-url.js';
import { proxyFromEnv, type ProxyEnv } from './proxy-from-env.js';
import { formEncode } from './form-encode.js';
import { ResponseCollector, type AnswerLimits } from './response-collector.js';
import type { ApiRequest, ApiResponse, Transport, TransportCallOptions } from './types.js';

export interface HttpTransportOptions {
  /**
   * Service origin, e.g. `https://ocr.captchaai.com`; a path is a prefix of the endpoints and
   * credentials are sent as basic authorisation (see parseBaseUrl).
   */
  baseUrl: string;
  /** Sockets kept open to the service. @default 64 */
  connections?: number;
  /** Longest a request may take, from sending to the answer's last byte. @default 30000 */
  requestTimeoutMs?: number;
  /** `/solve.php` answers only once the image is solved, so it gets longer. @default 180000 */
  solveNowTimeoutMs?: number;
  /**
   * Largest answer body taken; a larger one fails the request with a ProtocolError
   * (UNPARSEABLE_RESPONSE). The API's answers are a few hundred bytes. @default 1048576
   */
  maxResponseBytes?: number;
  /**
   * Sends every request through this undici Dispatcher (an Agent, a ProxyAgent, a mock) instead
   * of the transport's own connection pool. It stays the caller's: `close()` leaves it open.
   */
  dispatcher?: Dispatcher;
  /**
   * Where `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` are read (see proxyFromEnv); a proxy found
   * there carries every request, through a CONNECT tunnel. Unused with `dispatcher`.
   * @default process.env
   */
  env?: ProxyEnv;
}

/** The default of `maxResponseBytes`: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

/** Error codes of requests that surely never reached the service. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

type HeaderRecord = Readonly<Record<string, string>>;

const FORM_HEADERS: HeaderRecord = Object.freeze({
  'content-type': 'application/x-www-form-urlencoded',
});
const NO_HEADERS: HeaderRecord = Object.freeze({});

/**
 * Sends requests over HTTP(S) with keep-alive through one undici Pool (a ProxyAgent where the
 * environment names a proxy, or the caller's dispatcher). GET requests carry the
 * parameters in the query string, POST requests in a urlencoded or multipart body. The key is part
 * of the request, so no URL is ever put in an error. Each request goes straight to the Pool's
 * `dispatch` with a small handler that collects the answer (see ResponseCollector), and many
 * requests sharing one signal cost one listener on it (see AbortFanout).
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const base = parseBaseUrl(options.baseUrl);
  const { host } = base;
  const connections = options.connections ?? 64;
  const proxy = options.dispatcher
    ? undefined
    : proxyFromEnv(new URL(base.origin), options.env ?? process.env);
  // Every endpoint is on the base URL's origin: one Pool, without the Agent's per-request
  // origin lookup and redirect interceptor, unless a proxy or the caller's dispatcher carries it.
  const dispatcher: Dispatcher =
    options.dispatcher ??
    (proxy === undefined
      ? new Pool(base.origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 })
      : new ProxyAgent({ uri: proxy, connections, keepAliveTimeout: 30_000 }));
  // The Pool reads the shared, frozen header objects; a proxy (or another dispatcher) may add to
  // a request's headers, so it gets a copy of its own.
  const own = dispatcher instanceof Pool ? (h: HeaderRecord) => h : (h: HeaderRecord) => ({ ...h });
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const solveNowTimeoutMs = options.solveNowTimeoutMs ?? 180_000;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // One per timeout class, shared by every request of it: only the give-up time is per request.
  const requestLimits: AnswerLimits = { maxBytes, timeoutMs: requestTimeoutMs, host };
  const solveNowLimits: AnswerLimits = { maxBytes, timeoutMs: solveNowTimeoutMs, host };
  const signals = new AbortFanout<ResponseCollector>();
  const pathOf = (endpoint: string): string => `${base.prefix}${endpoint}`;
  const noHeaders = base.authorization
    ? Object.freeze({ authorization: base.authorization })
    : NO_HEADERS;
  const formHeaders = base.authorization
    ? Object.freeze({ ...FORM_HEADERS, authorization: base.authorization })
    : FORM_HEADERS;

  function send(req: ApiRequest, callOptions: TransportCallOptions = {}): Promise<ApiResponse> {
    const { signal } = callOptions;
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    const path = pathOf(req.endpoint);
    const limits = req.endpoint === 'solve.php' ? solveNowLimits : requestLimits;
    const timeout = limits.timeoutMs;
    const dispatch: Dispatcher.DispatchOptions = {
      origin: base.origin,
      path,
      method: req.httpMethod,
      headers: own(noHeaders),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    };
    if (req.httpMethod === 'GET') {
      const query = formEncode(req.params);
      if (query.length > 0) dispatch.path = `${path}?${query}`;
    } else if (req.file) {
      const form = new FormData();
      for (const [name, value] of Object.entries(req.params)) form.append(name, value);
      const blob = new Blob([req.file.data], { type: req.file.contentType });
      form.append(req.file.field, blob, req.file.filename);
      dispatch.body = form;
    } else {
      dispatch.body = formEncode(req.params);
      dispatch.headers = own(formHeaders);
    }
    return new Promise<ApiResponse>((resolve, reject) => {
      const collector = new ResponseCollector(
        (response) => {
          signals.unlink(collector, signal);
          resolve(response);
        },
        (error) => {
          signals.unlink(collector, signal);
          reject(toTransportError(error, signal, host));
        },
        limits,
        performance.now() + timeout,
      );
      signals.link(collector, signal);
      try {
        dispatcher.dispatch(dispatch, collector);
      } catch (error) {
        collector.onError(error as Error);
      }
    });
  }

  return {
    send,
    // The owner's work is over (a Solver aborts its requests before it closes): no socket may
    // keep the process alive waiting for an answer nobody reads.
    close: () => (options.dispatcher ? Promise.resolve() : dispatcher.destroy()),
  };
}

function toTransportError(error: unknown, signal: AbortSignal | undefined, host: string): Error {
  if (signal?.aborted) return new AbortError(signal.reason);
  if (error instanceof CaptchaAIError) return error;
  const code = errorCode(error) ?? 'ENETWORK';
  const sent = !NOT_SENT.has(code);
  // The host, never the URL: the URL may hold the key and credentials.
  return new NetworkError(
    code,
    `Request to ${host} failed before an answer arrived (${code})`,
    sent,
    error,
  );
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
