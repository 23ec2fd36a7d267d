import type { Clock } from '../../src/time/clock.js';
import type {
  ApiRequest,
  ApiResponse,
  Transport,
  TransportCallOptions,
} from '../../src/transport/types.js';

/** What the tap saw on the wire, in the client's clock (virtual ms). */
export interface TapSummary {
  requests: number;
  http429: number;
  firstRequestAt: number | null;
  /** First and last accepted submit: the busy window, where work was waiting for slots. */
  firstSubmitAt: number | null;
  lastSubmitAt: number | null;
  /** Requests and 429s from `firstRequestAt + settleMs` on (S4: after the first minute). */
  settled: { requests: number; http429: number };
}

/**
 * Wraps a transport and counts, for every client alike, the few facts the simulator's counters do
 * not give: when work started and ran out, and the 429s after the first minute. It reads only the
 * status and the start of the body, so it costs the client next to nothing.
 */
export class TapTransport implements Transport {
  private readonly summary: TapSummary = {
    requests: 0,
    http429: 0,
    firstRequestAt: null,
    firstSubmitAt: null,
    lastSubmitAt: null,
    settled: { requests: 0, http429: 0 },
  };

  constructor(
    private readonly inner: Transport,
    private readonly clock: Clock,
    private readonly settleMs = 60_000,
  ) {}

  async send(request: ApiRequest, options?: TransportCallOptions): Promise<ApiResponse> {
    const response = await this.inner.send(request, options);
    const now = this.clock.now();
    const s = this.summary;
    s.requests++;
    s.firstRequestAt ??= now;
    const settled = now >= s.firstRequestAt + this.settleMs;
    if (settled) s.settled.requests++;
    if (response.status === 429) {
      s.http429++;
      if (settled) s.settled.http429++;
    } else if (request.endpoint === 'in.php' && response.body.startsWith('{"status":1')) {
      s.firstSubmitAt ??= now;
      s.lastSubmitAt = now;
    }
    return response;
  }

  result(): TapSummary {
    return { ...this.summary, settled: { ...this.summary.settled } };
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
