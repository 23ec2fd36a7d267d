import type { ResolvedSimulatorOptions } from './options.js';
import { httpDate } from './reply.js';
import { WindowCounter } from './window-counter.js';

/**
 * Milliseconds left of the throttle window covering `now` (relative to `startedAt`), or
 * undefined when no window covers it.
 */
export function throttleWindowLeft(
  options: ResolvedSimulatorOptions,
  startedAt: number,
  now: number,
): number | undefined {
  const t = now - startedAt;
  let left: number | undefined;
  for (const w of options.throttleWindows) {
    if (t >= w.fromMs && t < w.toMs) left = Math.max(left ?? 0, w.toMs - t);
  }
  return left;
}

/** The Retry-After value for a 429 that lasts `waitMs` more, per the `retryAfter` option. */
export function retryAfterValue(
  mode: ResolvedSimulatorOptions['retryAfter'],
  now: number,
  waitMs: number,
): string | undefined {
  if (mode === 'none') return undefined;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  // HTTP dates have whole seconds; round up so a client never retries too early.
  if (mode === 'http-date') return httpDate(Math.ceil((now + waitMs) / 1000) * 1000);
  return String(seconds);
}

interface IpState {
  badKeys: WindowCounter;
  bannedUntil: number;
}

/**
 * The bad-key flood ban: `badKeyBanThreshold` requests with a wrong or unknown key from one IP
 * within `badKeyWindowMs` ban that IP for `badKeyBanMs`, for every request whatever its key
 * (CaptchaAI: IP_BANNED for 5 min; 2captcha: `ERROR: 1004` for 10 min).
 */
export class IpGuard {
  private readonly ips = new Map<string, IpState>();
  readonly code: string;

  constructor(private readonly options: ResolvedSimulatorOptions) {
    this.code = options.profile === '2captcha' ? 'ERROR: 1004' : 'IP_BANNED';
  }

  isBanned(ip: string, now: number): boolean {
    const state = this.ips.get(ip);
    return state !== undefined && now < state.bannedUntil;
  }

  recordBadKey(ip: string, now: number): void {
    const o = this.options;
    let state = this.ips.get(ip);
    if (!state) {
      state = {
        badKeys: new WindowCounter(o.badKeyWindowMs, o.badKeyBanThreshold),
        bannedUntil: 0,
      };
      this.ips.set(ip, state);
    }
    if (state.badKeys.hit(now) >= o.badKeyBanThreshold) {
      state.bannedUntil = now + o.badKeyBanMs;
      state.badKeys.clear();
    }
  }
}
