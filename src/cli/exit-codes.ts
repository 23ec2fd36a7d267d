import { CommanderError } from 'commander';
import { isCaptchaAIError } from '../errors/captchaai-error.js';
import { classify } from '../errors/classify.js';
import { ConfigError } from '../errors/config-error.js';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import type { ServiceProfile } from '../solver/types.js';
import type { Output } from './output.js';
import { UsageError } from './usage-error.js';

/**
 * The exit codes scripts can rely on. Each keeps one meaning across commands: 1 is "a task
 * failed" for `solve` and, for `batch`, "every line has a result but some are errors", the same
 * verdict line by line. `batch` also needs "some lines have no result yet, a rerun may give them
 * one", which no other command can end with: it gets a code of its own, 4, the next one free, so
 * that 0-3 keep the meanings scripts already test for. Where several apply, the more urgent one
 * wins: usage (2), account (3), interrupted (130), closed pipe (141), then pending (4) over
 * failed (1).
 */
export const EXIT = Object.freeze({
  /** Done: the task solved; for `batch`, every line solved. */
  ok: 0,
  /**
   * The task failed: unsolvable, timed out, or any other error that concerns this task only.
   * For `batch`: every line has its result, and some of them are errors.
   */
  taskFailed: 1,
  /** The command line was wrong; nothing was sent. */
  usage: 2,
  /** The account is unusable: bad or unknown key, no plan, banned IP. Retrying will not help. */
  account: 3,
  /**
   * `batch` only: some lines have no result yet (the service or the network kept failing, or the
   * run stopped on an internal error); the journal keeps them and a rerun continues with them.
   */
  pending: 4,
  /** Interrupted (Ctrl-C), as shells report a SIGINT death. */
  interrupted: 130,
  /** stdout's reader left before all was printed (`| head`), as shells report a SIGPIPE death. */
  closedPipe: 141,
});

/** Library option names mapped to the flag that sets them, so errors name what the user typed. */
const OPTION_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  key: '--key',
  baseUrl: '--base-url',
  profile: '--profile',
  pollIntervalMs: '--poll-interval',
  firstPollDelayMs: '--first-poll-delay',
  timeoutMs: '--timeout',
  maxTransientAttempts: '--max-attempts',
  requestsPerSecond: '--rps',
  // The rate controller's floor for requestsPerSecond: only --rps can run into it.
  minRate: '--rps',
  capacityWaitMs: '--capacity-wait',
});

export function flagForOption(option: string): string {
  const head = option.split('.')[0] ?? option;
  return OPTION_FLAGS[head] ?? `--${head.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Prints one error line and returns the exit code for it. `classify()` decides what an API error
 * means, as it does for the solver, so the CLI and the library never disagree about which errors
 * are the account's fault.
 */
export function reportError(error: unknown, output: Output, profile: ServiceProfile): number {
  if (error instanceof UsageError) {
    output.error(error.code, error.message);
    return EXIT.usage;
  }
  if (error instanceof CommanderError) {
    output.error('USAGE', error.message.replace(/^error:\s*/, ''));
    return EXIT.usage;
  }
  if (error instanceof InvalidTaskError) {
    const message = error.message.includes(error.parameter)
      ? error.message
      : `${error.message} (${error.parameter})`;
    output.error(error.code, message);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) {
    output.error(error.code, `${flagForOption(error.option)}: ${error.message}`);
    return EXIT.usage;
  }
  if (!isCaptchaAIError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    output.error('UNEXPECTED', message);
    return EXIT.taskFailed;
  }
  const { kind } = classify(error, profile);
  // An abort here is always Ctrl-C or SIGTERM; its cause says which.
  const cause =
    kind === 'aborted' && error.cause instanceof Error ? error.cause.message : undefined;
  output.error(error.code, cause ?? error.message);
  if (kind === 'fatal-account') return EXIT.account;
  if (kind === 'aborted') return EXIT.interrupted;
  return EXIT.taskFailed;
}
