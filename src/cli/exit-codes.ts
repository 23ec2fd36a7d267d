import { CommanderError } from 'commander';
import { isCaptchaAIError } from '../errors/captchaai-error.js';
import { classify } from '../errors/classify.js';
import { ConfigError } from '../errors/config-error.js';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import type { ServiceProfile } from '../solver/types.js';
import type { Output } from './output.js';
import { UsageError } from './usage-error.js';

/** The exit codes scripts can rely on. */
export const EXIT = Object.freeze({
  ok: 0,
  /** The task failed: unsolvable, timed out, or any other error that concerns this task only. */
  taskFailed: 1,
  /** The command line was wrong; nothing was sent. */
  usage: 2,
  /** The account is unusable: bad or unknown key, no plan, banned IP. Retrying will not help. */
  account: 3,
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
