import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../time/manual-clock.js';
import { seededRandom, type Random } from '../time/random.js';
import { RateController } from './rate-controller.js';

/**
 * A server with a true request-rate limit R*: a sliding one-second window of requests; a request
 * over it is answered 429. Most limiters do not count a rejected request; a harsher one does, so
 * a client that overshoots stays locked out longer.
 */
class WindowServer {
  private readonly accepted: number[] = [];
  private head = 0;

  constructor(
    private readonly clock: ManualClock,
    private readonly limit: number,
    private readonly countRejected: boolean,
  ) {}

  handle(): boolean {
    const now = this.clock.now();
    while (this.head < this.accepted.length && (this.accepted[this.head] ?? 0) <= now - 1_000)
      this.head++;
    const ok = this.accepted.length - this.head < this.limit;
    if (ok || this.countRejected) this.accepted.push(now);
    return ok;
  }
}

/**
 * A server with a token bucket of rate R* and one second's depth that answers a request over it
 * 429 with Retry-After in whole seconds (the wait for its next token, rounded up), as S4 does.
 */
class BucketServer {
  private tokens: number;
  private at = 0;

  constructor(
    private readonly clock: ManualClock,
    private readonly limit: number,
  ) {
    this.tokens = limit;
  }

  /** undefined when accepted, else the Retry-After in ms. */
  handle(): number | undefined {
    const now = this.clock.now();
    this.tokens = Math.min(this.limit, this.tokens + ((now - this.at) * this.limit) / 1000);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens--;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.limit)) * 1000;
  }
}

interface SimResult {
  sent: number;
  accepted: number;
  throttled: number;
  controllerEvents: number;
  seconds: number;
}

/**
 * Unlimited demand: many workers each acquire, send, wait the response latency, repeat. Counts
 * only what is sent after `warmupMs`.
 */
async function simulate(
  limit: number,
  countRejected: boolean | 'retry-after',
  seed: number,
): Promise<SimResult> {
  const durationMs = 600_000;
  const warmupMs = 60_000;
  const clock = new ManualClock(0);
  const random: Random = seededRandom(seed);
  const bucket = countRejected === 'retry-after' ? new BucketServer(clock, limit) : undefined;
  const window = new WindowServer(clock, limit, countRejected === true);
  const controller = new RateController({}, { clock, random });
  const result: SimResult = {
    sent: 0,
    accepted: 0,
    throttled: 0,
    controllerEvents: 0,
    seconds: (durationMs - warmupMs) / 1000,
  };
  let eventsAtWarmup = 0;
  const worker = async (): Promise<void> => {
    while (clock.now() < durationMs) {
      await controller.acquire('poll');
      const sentAt = clock.now();
      if (sentAt >= durationMs) return;
      const retryAfterMs = bucket ? bucket.handle() : window.handle() ? undefined : 0;
      const ok = retryAfterMs === undefined;
      await clock.sleep(30 + Math.floor(random() * 50));
      if (sentAt >= warmupMs) {
        result.sent++;
        if (ok) result.accepted++;
        else result.throttled++;
      }
      if (ok) controller.onAnswered();
      else controller.onThrottled(bucket ? retryAfterMs : undefined, sentAt);
    }
  };
  void clock.sleep(warmupMs).then(() => (eventsAtWarmup = controller.stats().throttleEvents));
  await clock.runUntil(Promise.all(Array.from({ length: 50 }, () => worker())));
  result.controllerEvents = controller.stats().throttleEvents - eventsAtWarmup;
  controller.close();
  return result;
}

describe('RateController against a server with an unknown rate limit', () => {
  for (const countRejected of [false, true, 'retry-after'] as const) {
    for (const limit of [5, 20, 100]) {
      const kind =
        countRejected === 'retry-after'
          ? 'a token bucket answering Retry-After'
          : countRejected
            ? 'counting 429s too'
            : 'counting accepted requests';
      test(`R* = ${limit}/s (${kind}), 10 min of unlimited demand: under 1 429 per 1000, over 90% of R*`, async (t) => {
        const r = await simulate(limit, countRejected, limit);
        const achieved = r.accepted / r.seconds;
        const per1000 = (1000 * r.throttled) / r.sent;
        t.diagnostic(
          `R*=${limit} ${kind}: after the first minute ${achieved.toFixed(2)}/s accepted ` +
            `(${((100 * achieved) / limit).toFixed(1)}% of R*), ${r.throttled} 429s in ${r.sent} requests ` +
            `(${per1000.toFixed(2)} per 1000), controller throttle events ${r.controllerEvents}`,
        );
        assert.ok(per1000 <= 1, `429s per 1000 requests: ${per1000}`);
        assert.ok(
          (1000 * r.controllerEvents) / r.sent <= 1,
          `throttle events: ${r.controllerEvents}`,
        );
        assert.ok(achieved >= 0.9 * limit, `achieved ${achieved}/s of ${limit}/s`);
      });
    }
  }
});
