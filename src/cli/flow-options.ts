import type { Command } from 'commander';
import type { SolverOptions } from '../solver/types.js';
import { DEFAULT_RATE_CONTROLLER_OPTIONS } from '../flow/rate-controller-options.js';
import { DURATION, parseChoice, parseOptionalNumber, POLL_INTERVAL } from './flag-values.js';

const MIN_RPS = DEFAULT_RATE_CONTROLLER_OPTIONS.minRate;

/** Flow and timing flags as commander parses them (strings: the resolver validates). */
export interface FlowFlags {
  maxConcurrency?: string;
  rps?: string;
  batchPoll?: string;
  pollInterval?: string;
  firstPollDelay?: string;
  timeout?: string;
  maxAttempts?: string;
  capacityWait?: string;
}

/** The Solver options these flags set. */
export type FlowSettings = Pick<
  SolverOptions,
  | 'maxConcurrency'
  | 'requestsPerSecond'
  | 'batchPoll'
  | 'pollIntervalMs'
  | 'firstPollDelayMs'
  | 'timeoutMs'
  | 'maxTransientAttempts'
  | 'capacityWaitMs'
>;

const BATCH_POLL = ['auto', 'always', 'never'] as const;

/** Adds the flags that tune how many tasks run at once and how they are polled. */
export function addFlowOptions(command: Command): Command {
  return command
    .option(
      '--max-concurrency <n>',
      'most tasks holding a thread at once (default: discovered from the service)',
    )
    .option(
      '--rps <n>',
      `most requests per second for the account, at least ${MIN_RPS} (default: adapts to HTTP 429)`,
    )
    .option(
      '--batch-poll <mode>',
      'poll many tasks per request: auto, always or never (default: auto)',
    )
    .option('--poll-interval <ms>', 'delay between polls of one task (default: 5000)')
    .option(
      '--first-poll-delay <ms>',
      'delay before the first poll (default: 5000 for images, 15000 for tokens, 20000 for challenges)',
    )
    .option(
      '--timeout <ms>',
      'give a task up after this long, at least 1000 (default: 120000 for images, 300000 for tokens)',
    )
    .option('--max-attempts <n>', 'attempts for a request that fails transiently (default: 5)')
    .option(
      '--capacity-wait <ms>',
      'give a task up, unsent, after waiting this long for capacity: no free thread, or its CAPTCHA type busy on the platform (default: no limit)',
    );
}

/**
 * Maps the flow flags onto Solver options, once, naming the flag in every error. Only flags
 * that were given appear in the result, so the Solver's own defaults apply to the rest.
 */
export function resolveFlowOptions(flags: FlowFlags): FlowSettings {
  const out: FlowSettings = {};
  const integer = { integer: true, positive: true };
  const maxConcurrency = parseOptionalNumber('--max-concurrency', flags.maxConcurrency, integer);
  if (maxConcurrency !== undefined) out.maxConcurrency = maxConcurrency;
  // The rate controller never goes below its minimum rate, so an --rps under it cannot be kept.
  const rps = parseOptionalNumber('--rps', flags.rps, { min: MIN_RPS });
  if (rps !== undefined) out.requestsPerSecond = rps;
  if (flags.batchPoll !== undefined)
    out.batchPoll = parseChoice('--batch-poll', flags.batchPoll, BATCH_POLL);
  const pollInterval = parseOptionalNumber('--poll-interval', flags.pollInterval, POLL_INTERVAL);
  if (pollInterval !== undefined) out.pollIntervalMs = pollInterval;
  const firstPoll = parseOptionalNumber('--first-poll-delay', flags.firstPollDelay, { min: 0 });
  if (firstPoll !== undefined)
    out.firstPollDelayMs = { image: firstPoll, token: firstPoll, challenge: firstPoll };
  const timeout = parseOptionalNumber('--timeout', flags.timeout, DURATION);
  if (timeout !== undefined) out.timeoutMs = { image: timeout, token: timeout, challenge: timeout };
  const maxAttempts = parseOptionalNumber('--max-attempts', flags.maxAttempts, integer);
  if (maxAttempts !== undefined) out.maxTransientAttempts = maxAttempts;
  const capacityWait = parseOptionalNumber('--capacity-wait', flags.capacityWait, DURATION);
  if (capacityWait !== undefined) out.capacityWaitMs = capacityWait;
  return out;
}
