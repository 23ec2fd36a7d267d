import type { Random } from '../time/random.js';

/** Which real service the simulator imitates where the two differ (codes, bans, reports). */
export type SimulatorProfile = 'captchaai' | '2captcha';

/**
 * Groups of methods that share a solve-time distribution, and the platform's CAPTCHA types
 * (docs/protocol.md, "Solve times in the simulator").
 */
export type SolveCategory =
  | 'image'
  | 'recaptchaV2'
  | 'recaptchaV3'
  | 'turnstile'
  | 'cloudflareChallenge'
  | 'geetest'
  | 'hcaptcha'
  | 'other';

/** A log-normal solve time: half the tasks finish before `medianMs`; `sigma` sets the tail. */
export interface LogNormalSpec {
  medianMs: number;
  sigma: number;
}

/** One distribution for every method, for benchmarks (heavy tails, fixed times). */
export type SolveTimeDistribution =
  | { kind: 'lognormal'; medianMs?: number; meanMs?: number; sigma: number }
  | { kind: 'pareto'; scaleMs: number; alpha: number; maxMs?: number }
  | { kind: 'fixed'; ms: number };

/** Full control: returns a solve time in ms (before `timeScale`), drawing only from `random`. */
export type SolveTimeFunction = (category: SolveCategory, random: Random) => number;

/**
 * Transport-level faults, each a probability per request. They are applied by the HTTP server
 * and by `transport()`, never by `handle()`, which is the clean service.
 */
export interface FaultOptions {
  /** Answer 502 with an nginx-style HTML page. @default 0 */
  html502?: number;
  /** Drop the connection without an answer (ECONNRESET). @default 0 */
  reset?: number;
  /**
   * Share of html502/reset faults that strike after the request was processed: a reset after an
   * accepted submit is the "lost answer" case (the task exists, the client never learns its id).
   * @default 0.5
   */
  afterProcessing?: number;
  /** Cut a JSON answer in half (status 200). @default 0 */
  truncatedJson?: number;
  /** Probability that an answer is held back by `slowMs` after processing. @default 0 */
  slowRate?: number;
  /** @default 0 */
  slowMs?: number;
}

/** "More than `count` events within `windowMs` → blocked for `banMs`". */
export interface BanRule {
  count: number;
  windowMs: number;
  banMs: number;
}

/** The 2captcha bans (docs/protocol.md, "2captcha bans"), enforced when `enforceBans` is on. */
export interface BanRules {
  /** >60 in.php requests in 3 s → MAX_USER_TURN for 10 s. */
  maxUserTurn?: BanRule;
  /** 120 NO_SLOT answers in a minute → `ERROR: 1001` for 10 min. */
  noSlot?: BanRule;
  /** 120 ZERO_BALANCE answers in a minute → `ERROR: 1002` for 5 min. */
  zeroBalance?: BanRule;
  /** >20 res.php polls for one task → `ERROR: 1005` on res.php for 5 min. */
  pollsPerTask?: { max: number; banMs: number };
}

export interface PingbackPayload {
  id: string;
  /** The answer in text form, or the error code when `pingbackOnUnsolvable` fires. */
  code: string;
}

/** Delivers a pingback. Errors and rejections are swallowed: a dead URL must not hurt the run. */
export type PingbackSender = (url: string, payload: PingbackPayload) => unknown;

export interface AccountInit {
  /** 32 characters; generated from the seeded random when absent. */
  key?: string;
  /** Concurrent slots (CaptchaAI "threads"). */
  threads: number;
  /** @default 10 */
  balance?: number;
}

/** A span of time, relative to the simulator's construction, when every request gets 429. */
export interface ThrottleWindow {
  fromMs: number;
  toMs: number;
}

/** A CAPTCHA type as the platform's workers see it: the simulator's solve category. */
export type PlatformType = SolveCategory;

/** A span of simulator time (ms since construction) when every submit of `type` is refused. */
export interface PlatformOutage {
  type: PlatformType;
  fromMs: number;
  toMs: number;
}

/** Short spells when a type's workers are all taken by other customers. */
export interface PlatformBursts {
  /** Mean bursts per hour per type at the day curve's factor 1 (off-peak); scaled up as free workers fall. */
  perHour: number;
  /** Mean length of a short burst (exponential). @default 8000 */
  meanMs?: number;
  /** Share of bursts that are long ("persistent for minutes"). @default 0.1 */
  longShare?: number;
  /** Mean length of a long burst. @default 180000 */
  longMeanMs?: number;
  /** Share of the type's free workers a burst takes (1 = every submit of the type refused). @default 1 */
  depth?: number;
}

/** How many workers the platform has free for our tasks, by the hour of the UTC day. */
export interface PlatformDayCurve {
  /** Free workers per type (for our tasks) at the curve's factor 1. Types not listed are unlimited. */
  workers: Partial<Record<PlatformType, number>>;
  /**
   * 24 factors by UTC hour. @default the vendor's availability table read as numbers: 1.0 for
   * 00-06 ("high availability"), 0.7 for 06-12 and 18-24 ("moderate"), 0.4 for 12-18 ("peak
   * demand, occasional refusals")
   */
  hourFactors?: readonly number[];
  /**
   * UTC hour (may be fractional) at simulator time 0 (construction). @default the UTC hour of the
   * simulator's clock at construction: the wall clock's hour on the system clock, 0 on a
   * `ManualClock` started at 0
   */
  startHourUtc?: number;
  /** Random bursts on top of the curve; null for none. @default null */
  bursts?: PlatformBursts | null;
}

/**
 * The second cause of capacity refusals: the platform's workers for a CAPTCHA type are all
 * busy, whatever the account's threads. Nothing is limited by default.
 */
export interface PlatformOptions {
  /** Most of our tasks of a type that the platform takes at once (all accounts of this simulator together). */
  caps?: Partial<Record<PlatformType, number>>;
  /** Spans when every submit of a type is refused. */
  outages?: readonly PlatformOutage[];
  /** Free workers per type scaled by the UTC hour, with bursts. @default null */
  dayCurve?: PlatformDayCurve | null;
  /** Code of a platform refusal. @default the profile's capacityCode */
  refusalCode?: 'ERROR_ZERO_BALANCE' | 'ERROR_NO_SLOT_AVAILABLE';
}

export interface SimulatorOptions {
  /** @default 'captchaai' */
  profile: SimulatorProfile;
  /** Seed of the random source when none is injected. @default 1 */
  seed: number;
  /** Account created at construction (`defaultKey`); null for none. @default { threads: 10 } */
  defaultAccount: AccountInit | null;
  /**
   * Code for a submit over the thread limit. @default 'ERROR_ZERO_BALANCE' (captchaai, as its
   * docs say), 'ERROR_NO_SLOT_AVAILABLE' (2captcha, where ZERO_BALANCE means no money)
   */
  capacityCode: 'ERROR_ZERO_BALANCE' | 'ERROR_NO_SLOT_AVAILABLE';
  /**
   * When a slot frees: 'solve' at completion (solved or unsolvable), 'collect' when a poll
   * fetches the final answer (or at retention expiry). Undocumented, so both. @default 'solve'
   */
  slotRelease: 'solve' | 'collect';
  /** in.php answers the id as a JSON number in JSON mode (seen live). @default true */
  jsonIdAsNumber: boolean;
  /** Accept `res.php?action=get&ids=1,2,3` (2captcha only, unconfirmed on CaptchaAI). @default false */
  batchPoll: boolean;
  /** Most ids in one batch poll; more → ERROR_BAD_PARAMETERS. @default 100 */
  batchPollMax: number;
  /** Answer `res.php?action=threadsinfo`. @default true */
  threadsInfo: boolean;
  /**
   * Per-category log-normal solve times (before `timeScale`).
   * @default the medians of docs/protocol.md, "Solve times in the simulator", sigma 0.5
   */
  solveTimes: Partial<Record<SolveCategory, LogNormalSpec>>;
  /** Overrides `solveTimes` for every method (benchmarks). @default null */
  solveTime: SolveTimeDistribution | SolveTimeFunction | null;
  /** Multiplies every solve time: 0.01 makes everything 100× shorter. @default 1 */
  timeScale: number;
  /** Share of tasks ending in ERROR_CAPTCHA_UNSOLVABLE. @default 0.02 */
  unsolvableRate: number;
  /** How long a finished task's result stays readable. @default 900000 (15 min) */
  retentionMs: number;
  /** Smaller images → ERROR_ZERO_CAPTCHA_FILESIZE (docs say 100 B or 1 KB). @default 100 */
  imageMinBytes: number;
  /** Larger images → ERROR_TOO_BIG_CAPTCHA_FILESIZE (docs say 100 kB or 1 MB). @default 102400 */
  imageMaxBytes: number;
  /** Reject images that are not JPEG/PNG/GIF/BMP by their magic bytes. @default false */
  checkImageType: boolean;
  /** Bad-key requests from one IP within `badKeyWindowMs` that trigger the IP ban. @default 10 (captchaai), 5 (2captcha) */
  badKeyBanThreshold: number;
  /** @default 60000 */
  badKeyWindowMs: number;
  /** @default 300000 (captchaai: IP_BANNED, 5 min), 600000 (2captcha: `ERROR: 1004`, 10 min) */
  badKeyBanMs: number;
  /** Per-key request rate limit answered with HTTP 429; null = off. @default null */
  requestsPerSecond: number | null;
  /** Token-bucket depth for `requestsPerSecond`; null = one second's worth. @default null */
  rateBurst: number | null;
  /** Retry-After header on 429 answers. No source mentions one. @default 'none' */
  retryAfter: 'none' | 'seconds' | 'http-date';
  /**
   * How far the service's own clock is ahead of the simulator's (negative: behind), as it shows
   * in its `Date` header and in a date-form `Retry-After`: a real server's clock and a client's
   * disagree by up to a second or so. @default 0
   */
  clockSkewMs: number;
  /** Windows where every request gets 429 (bursts not caused by the client). @default [] */
  throttleWindows: ThrottleWindow[];
  /** Enforce the 2captcha bans (MAX_USER_TURN, ERROR: 1001/1002/1005). @default false (captchaai), true (2captcha) */
  enforceBans: boolean;
  /**
   * Thresholds of the 2captcha bans.
   * @default 2captcha's documented thresholds (docs/protocol.md, "2captcha bans")
   */
  banRules: BanRules;
  /** Who delivers pingbacks; null = HTTP via global fetch. @default null */
  pingbackSender: PingbackSender | null;
  /** @default 'GET' (captchaai blog: `URL?id=&code=`), 'POST' (2captcha form) */
  pingbackMethod: 'GET' | 'POST';
  /** Also ping back ERROR_CAPTCHA_UNSOLVABLE. @default false (captchaai), true (2captcha) */
  pingbackOnUnsolvable: boolean;
  /** Balance charged per solved task (2captcha-style). 0 = nothing charged. @default 0 */
  pricePerSolve: number;
  /** @default no faults */
  faults: FaultOptions;
  /** Workers per CAPTCHA type on the platform (caps, outages, day curve, bursts). @default nothing limited */
  platform: PlatformOptions;
}

/** Every field filled in: what the simulator runs on. */
export interface ResolvedSimulatorOptions extends SimulatorOptions {
  solveTimes: Record<SolveCategory, LogNormalSpec>;
  banRules: Required<BanRules>;
  faults: Required<FaultOptions>;
}
