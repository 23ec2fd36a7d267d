import { Option, type Command } from 'commander';
import type { ServiceProfile } from '../solver/types.js';
import { parseBaseUrl } from '../transport/base-url.js';
import { parseChoice, parseNumberFlag } from './flag-values.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_BASE_URL = 'https://ocr.captchaai.com';
export const DEFAULT_SIM_SPEED = 20;
const PROFILES: readonly ServiceProfile[] = ['captchaai', '2captcha'];
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type CliLogLevel = (typeof LOG_LEVELS)[number];

/** The global flags as commander parses them (all strings: the resolver validates). */
export interface GlobalFlags {
  key?: string;
  baseUrl?: string;
  profile?: string;
  sim?: boolean;
  simSpeed?: string;
  logLevel?: string;
  logFile?: string;
}

/** Where the log lines go, and from which level; absent when nothing is to be logged. */
export interface LogSettings {
  level: Exclude<CliLogLevel, 'silent'>;
  /** Lines are appended to this file; to stderr when absent. */
  file: string | undefined;
}

/** Where the commands send their requests, validated. */
export interface GlobalSettings {
  /** Undefined only with `--sim` and no `--key`: the embedded simulator's test key is used. */
  key: string | undefined;
  baseUrl: string;
  profile: ServiceProfile;
  /** Set with `--sim`: run an embedded simulator, with time running `speed` times faster. */
  sim: { speed: number } | undefined;
  /** Set with `--log-level` or `--log-file`: what the solver does is logged as JSON lines. */
  log: LogSettings | undefined;
}

/** Adds the flags every service command shares. */
export function addGlobalOptions(command: Command): Command {
  return command
    .option('--key <key>', 'API key (32 characters); or set CAPTCHAAI_KEY')
    .option(
      '--base-url <url>',
      `service URL (a path is a prefix of in.php; credentials go as basic auth and are never shown); or set CAPTCHAAI_BASE_URL (default: ${DEFAULT_BASE_URL})`,
    )
    .addOption(
      new Option('--profile <profile>', 'which service the error codes come from')
        .choices(PROFILES)
        .default('captchaai'),
    )
    .option('--sim', 'run against an embedded simulator on loopback (no API key needed)')
    .option(
      '--sim-speed <factor>',
      'with --sim, how many times faster than real time the clock runs (ms flags are then simulated time)',
      String(DEFAULT_SIM_SPEED),
    )
    .option(
      '--log-level <level>',
      `log what the client does as JSON lines, from this level: ${LOG_LEVELS.join(', ')} (default: off; info with --log-file)`,
    )
    .option('--log-file <path>', 'append the log lines to this file instead of stderr');
}

/**
 * Maps the global flags and environment variables onto solver settings, once, and names the
 * flag (or variable) in every error. Nothing is sent before this passes: a missing key fails
 * here, not with a request the service would refuse.
 */
export function resolveGlobalOptions(
  flags: GlobalFlags,
  env: Readonly<Record<string, string | undefined>>,
): GlobalSettings {
  const profile = parseChoice('--profile', flags.profile ?? 'captchaai', PROFILES);
  const sim =
    flags.sim === true
      ? { speed: parseNumberFlag('--sim-speed', flags.simSpeed ?? '20', { positive: true }) }
      : undefined;
  if (sim && flags.baseUrl !== undefined) {
    throw new UsageError(
      '--base-url',
      '--base-url and --sim cannot be combined: --sim chooses its own URL',
    );
  }
  // Under --sim a CAPTCHAAI_KEY in the environment (a real key) is ignored: the simulator would
  // not know it, and it has no business leaving this machine for a local test.
  const key = sim ? flags.key : (flags.key ?? nonEmpty(env['CAPTCHAAI_KEY']));
  const keySource = flags.key !== undefined ? '--key' : 'CAPTCHAAI_KEY';
  if (key === undefined && !sim) {
    throw new UsageError(
      '--key',
      'no API key: pass --key <key> or set CAPTCHAAI_KEY (or try --sim, which needs none)',
    );
  }
  if (key !== undefined) checkKeyShape(key, keySource);
  const baseUrlSource = flags.baseUrl !== undefined ? '--base-url' : 'CAPTCHAAI_BASE_URL';
  const baseUrl = flags.baseUrl ?? nonEmpty(env['CAPTCHAAI_BASE_URL']) ?? DEFAULT_BASE_URL;
  checkBaseUrl(baseUrl, baseUrlSource);
  return { key, baseUrl, profile, sim, log: resolveLogFlags(flags) };
}

/** Off unless asked for: `--log-level` alone logs to stderr, `--log-file` alone at info. */
function resolveLogFlags(flags: GlobalFlags): LogSettings | undefined {
  const level =
    flags.logLevel === undefined
      ? undefined
      : parseChoice('--log-level', flags.logLevel, LOG_LEVELS);
  if (flags.logFile !== undefined && flags.logFile.trim() === '')
    throw new UsageError('--log-file', '--log-file is empty');
  if (level === 'silent' || (level === undefined && flags.logFile === undefined)) return undefined;
  return { level: level ?? 'info', file: flags.logFile };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * What cannot be sent at all is refused here. A key typed with `--key` must also have the form
 * CaptchaAI and 2captcha keys have (32 letters and digits): a mistyped key is then refused before
 * any request, instead of costing one and counting toward the service's ban for bad keys. A key
 * from CAPTCHAAI_KEY of another form is still sent, so that the service's own answer
 * (ERROR_WRONG_USER_KEY) says what is wrong. The key is never quoted.
 */
function checkKeyShape(key: string, source: string): void {
  if (key.length === 0) throw new UsageError(source, `${source} is empty`);
  if (!/^[^\s&=?#]+$/.test(key))
    throw new UsageError(source, `${source} contains whitespace or URL delimiters`);
  if (source === '--key' && !KEY_FORM.test(key)) {
    throw new UsageError(
      source,
      `${source} must be 32 letters and digits, as CaptchaAI and 2captcha keys are (got ${key.length} characters${/^[A-Za-z0-9]*$/.test(key) ? '' : ', not all letters and digits'})`,
    );
  }
}

/** The form of a CaptchaAI / 2captcha API key. */
const KEY_FORM = /^[A-Za-z0-9]{32}$/;

function checkBaseUrl(raw: string, source: string): void {
  try {
    parseBaseUrl(raw);
  } catch (error) {
    // Not quoted: the URL may carry credentials.
    throw new UsageError(source, `${source} ${(error as Error).message}`);
  }
}
