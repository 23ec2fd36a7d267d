import { ConfigError } from '../errors/config-error.js';
import { systemClock, type Clock } from '../time/clock.js';
import { systemRandom, type Random } from '../time/random.js';
import { createHttpTransport, type HttpTransportOptions } from '../transport/http-transport.js';
import { parseBaseUrl } from '../transport/base-url.js';
import type { Transport } from '../transport/types.js';
import { isSolverLogger, SolverLog } from './logger.js';
import type { ServiceProfile, SolverOptions, TimingClass } from './types.js';

export interface ResolvedSolverOptions {
  key: string;
  baseUrl: string;
  profile: ServiceProfile;
  transport: Transport;
  /** True when the solver created the transport and so must close it. */
  ownsTransport: boolean;
  clock: Clock;
  random: Random;
  firstPollDelayMs: Record<TimingClass, number>;
  pollIntervalMs: number;
  timeoutMs: Record<TimingClass, number>;
  maxTransientAttempts: number;
  capacityWaitMs: number;
  maxConcurrency: number | undefined;
  discoverThreads: boolean;
  requestsPerSecond: number | undefined;
  batchPoll: 'auto' | 'always' | 'never';
  pollBudget: number | undefined;
  capacityBackoff: { baseMs: number; capMs: number };
  transientBackoff: { baseMs: number; capMs: number };
  /** Longest pause honoured for a server hint (Retry-After, a ban). */
  maxPauseMs: number;
  resubmitAmbiguous: boolean;
  allowUnknownMethods: boolean;
  /** Undefined when no logger was given: nothing is logged, and no line is built. */
  log: SolverLog | undefined;
}

/**
 * The documented timings: first poll after 5 s for images and 15-20 s for tokens, then every 5 s
 * ("values less than 5 seconds are not recommended"); give up after 120 s for images and a few
 * minutes for tokens.
 */
export const DEFAULT_SOLVER_OPTIONS = Object.freeze({
  baseUrl: 'https://ocr.captchaai.com',
  profile: 'captchaai',
  firstPollDelayMs: Object.freeze({ image: 5_000, token: 15_000, challenge: 20_000 }),
  pollIntervalMs: 5_000,
  timeoutMs: Object.freeze({ image: 120_000, token: 300_000, challenge: 300_000 }),
  maxTransientAttempts: 5,
  capacityWaitMs: Number.POSITIVE_INFINITY,
  capacityBackoff: Object.freeze({ baseMs: 1_000, capMs: 30_000 }),
  transientBackoff: Object.freeze({ baseMs: 1_000, capMs: 10_000 }),
  maxPauseMs: 15 * 60_000,
});

const KEY_PATTERN = /^[^\s&=?#]+$/;

/** Validates once, names the bad option, fills in defaults. */
export function resolveSolverOptions(input: SolverOptions): ResolvedSolverOptions {
  if (typeof input.key !== 'string' || input.key.length === 0) {
    throw new ConfigError('key', 'An API key is required (option "key")');
  }
  if (!KEY_PATTERN.test(input.key)) {
    throw new ConfigError('key', 'Option "key" contains whitespace or URL delimiters');
  }
  const profile = input.profile ?? DEFAULT_SOLVER_OPTIONS.profile;
  if (profile !== 'captchaai' && profile !== '2captcha') {
    throw new ConfigError(
      'profile',
      `Option "profile" must be "captchaai" or "2captcha", got ${JSON.stringify(profile)}`,
    );
  }
  const baseUrl = input.baseUrl ?? DEFAULT_SOLVER_OPTIONS.baseUrl;
  try {
    parseBaseUrl(baseUrl);
  } catch (error) {
    // Never quoted: the URL may carry credentials.
    throw new ConfigError('baseUrl', `Option "baseUrl" ${(error as Error).message}`);
  }
  const firstPollDelayMs = {
    ...DEFAULT_SOLVER_OPTIONS.firstPollDelayMs,
    ...input.firstPollDelayMs,
  };
  const timeoutMs = { ...DEFAULT_SOLVER_OPTIONS.timeoutMs, ...input.timeoutMs };
  for (const cls of ['image', 'token', 'challenge'] as const) {
    nonNegative(`firstPollDelayMs.${cls}`, firstPollDelayMs[cls]);
    positive(`timeoutMs.${cls}`, timeoutMs[cls]);
  }
  const pollIntervalMs = input.pollIntervalMs ?? DEFAULT_SOLVER_OPTIONS.pollIntervalMs;
  positive('pollIntervalMs', pollIntervalMs);
  const maxTransientAttempts =
    input.maxTransientAttempts ?? DEFAULT_SOLVER_OPTIONS.maxTransientAttempts;
  positiveInteger('maxTransientAttempts', maxTransientAttempts);
  const capacityWaitMs = input.capacityWaitMs ?? DEFAULT_SOLVER_OPTIONS.capacityWaitMs;
  if (typeof capacityWaitMs !== 'number' || Number.isNaN(capacityWaitMs) || capacityWaitMs <= 0) {
    throw new ConfigError(
      'capacityWaitMs',
      `Option "capacityWaitMs" must be a number > 0 (Infinity to wait as long as it takes), got ${String(capacityWaitMs)}`,
    );
  }
  if (input.maxConcurrency !== undefined) positiveInteger('maxConcurrency', input.maxConcurrency);
  if (input.requestsPerSecond !== undefined) positive('requestsPerSecond', input.requestsPerSecond);
  if (input.pollBudget !== undefined) positiveInteger('pollBudget', input.pollBudget);
  const batchPoll = input.batchPoll ?? 'auto';
  if (batchPoll !== 'auto' && batchPoll !== 'always' && batchPoll !== 'never') {
    throw new ConfigError(
      'batchPoll',
      `Option "batchPoll" must be "auto", "always" or "never", got ${JSON.stringify(batchPoll)}`,
    );
  }
  if (input.requestTimeoutMs !== undefined) positive('requestTimeoutMs', input.requestTimeoutMs);
  if (input.maxResponseBytes !== undefined)
    positiveInteger('maxResponseBytes', input.maxResponseBytes);
  if (input.logger !== undefined && !isSolverLogger(input.logger)) {
    throw new ConfigError(
      'logger',
      'Option "logger" must have debug, info, warn and error methods (pino, or a logger like it)',
    );
  }
  const transport = input.transport ?? createHttpTransport(httpTransportOptions(input, baseUrl));
  return {
    key: input.key,
    baseUrl,
    profile,
    transport,
    ownsTransport: input.transport === undefined,
    clock: input.clock ?? systemClock,
    random: input.random ?? systemRandom,
    firstPollDelayMs,
    pollIntervalMs,
    timeoutMs,
    maxTransientAttempts,
    capacityWaitMs,
    maxConcurrency: input.maxConcurrency,
    discoverThreads: input.discoverThreads ?? true,
    requestsPerSecond: input.requestsPerSecond,
    batchPoll,
    pollBudget: input.pollBudget ?? (profile === '2captcha' ? 20 : undefined),
    capacityBackoff: { ...DEFAULT_SOLVER_OPTIONS.capacityBackoff },
    transientBackoff: { ...DEFAULT_SOLVER_OPTIONS.transientBackoff },
    maxPauseMs: DEFAULT_SOLVER_OPTIONS.maxPauseMs,
    // Thread-billed CaptchaAI loses nothing but a thread for a while on a duplicate; a per-solve
    // billed service would charge twice, so there a lost submit answer fails the task instead.
    resubmitAmbiguous: input.resubmitAmbiguous ?? profile === 'captchaai',
    allowUnknownMethods: input.allowUnknownMethods ?? false,
    log: input.logger === undefined ? undefined : new SolverLog(input.logger, input.key),
  };
}

/** The built-in transport's options, from the solver's. */
export function httpTransportOptions(
  input: Pick<SolverOptions, 'requestTimeoutMs' | 'maxResponseBytes' | 'dispatcher'>,
  baseUrl: string,
): HttpTransportOptions {
  return {
    baseUrl,
    ...(input.requestTimeoutMs !== undefined && { requestTimeoutMs: input.requestTimeoutMs }),
    ...(input.maxResponseBytes !== undefined && { maxResponseBytes: input.maxResponseBytes }),
    ...(input.dispatcher !== undefined && { dispatcher: input.dispatcher }),
  };
}

function nonNegative(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(option, `Option "${option}" must be a number >= 0, got ${String(value)}`);
  }
}

function positive(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(option, `Option "${option}" must be a number > 0, got ${String(value)}`);
  }
}

function positiveInteger(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(
      option,
      `Option "${option}" must be a whole number > 0, got ${String(value)}`,
    );
  }
}
