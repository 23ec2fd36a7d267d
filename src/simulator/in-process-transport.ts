import { AbortError } from '../errors/abort-error.js';
import { NetworkError } from '../errors/network-error.js';
import { throwIfAborted } from '../time/clock.js';
import type {
  ApiRequest,
  ApiResponse,
  Transport,
  TransportCallOptions,
} from '../transport/types.js';

/** The part of the simulator this transport needs (an interface, to keep imports acyclic). */
export interface Serving {
  serve(
    request: ApiRequest,
    context: { ip?: string },
    signal?: AbortSignal,
  ): Promise<{ response: ApiResponse } | { reset: true }>;
}

/** Settles like `promise`, or rejects with an AbortError as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * The simulator as a Transport, with no sockets: deterministic on a ManualClock. Faults behave
 * as on the wire: a reset throws NetworkError('ECONNRESET', mayHaveReachedServer = true), since
 * the client cannot tell whether the service processed the request.
 */
export class InProcessTransport implements Transport {
  constructor(
    private readonly server: Serving,
    private readonly ip: string,
  ) {}

  async send(request: ApiRequest, options: TransportCallOptions = {}): Promise<ApiResponse> {
    throwIfAborted(options.signal);
    const served = await abortable(
      this.server.serve(request, { ip: this.ip }, options.signal),
      options.signal,
    );
    if ('reset' in served) {
      throw new NetworkError('ECONNRESET', 'socket hang up (simulated connection reset)', true);
    }
    return { ...served.response, headers: { ...served.response.headers } };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
