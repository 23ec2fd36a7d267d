import { Help, Option, type Command } from 'commander';
import { ConfigError } from '../../errors/config-error.js';
import type { SimulatorOptions } from '../../simulator/options.js';
import { PLATFORM_TYPES } from '../../simulator/platform-type.js';
import type { CliContext } from '../context.js';
import type { RunningSimulator } from '../embedded-simulator.js';
import { parseChoice, parseNumberFlag, parseOptionalNumber, parseRate } from '../flag-values.js';
import { UsageError } from '../usage-error.js';
import {
  DEFAULT_BURSTS_PER_HOUR,
  describePlatform,
  platformFlagFor,
  platformOptions,
  repeatable,
  type PlatformFlags,
} from './sim-platform.js';

const TYPE_LIST = PLATFORM_TYPES.join(', ');

/** Commander's help, without the "(preset: \"\")" of flags whose value may be left out. */
const helpWithoutPresets = {
  optionDescription: (option: Option): string =>
    new Help().optionDescription(option).replace(' (preset: "")', ''),
};

interface SimFlags extends PlatformFlags {
  host: string;
  port: string;
  key?: string;
  threads: string;
  profile: string;
  timeScale?: string;
  slotRelease?: string;
  capacityCode?: string;
  batchPoll?: boolean;
  threadsInfo: boolean;
  unsolvableRate?: string;
  rps?: string;
  retryAfter?: string;
  clockSkewMs?: string;
  fault502?: string;
  faultReset?: string;
  faultTruncated?: string;
  faultSlowMs?: string;
  faultSlowRate?: string;
  faultAfterProcessing?: string;
  seed?: string;
}

/** Simulator option names mapped to the flag that sets them, for errors from its resolver. */
const SIM_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  profile: '--profile',
  seed: '--seed',
  defaultAccount: '--threads',
  threads: '--threads',
  key: '--key',
  slotRelease: '--slot-release',
  capacityCode: '--capacity-code',
  timeScale: '--time-scale',
  unsolvableRate: '--unsolvable-rate',
  requestsPerSecond: '--rps',
  retryAfter: '--retry-after',
  clockSkewMs: '--clock-skew-ms',
  'faults.html502': '--fault-502',
  'faults.reset': '--fault-reset',
  'faults.truncatedJson': '--fault-truncated',
  'faults.slowMs': '--fault-slow-ms',
  'faults.slowRate': '--fault-slow-rate',
  'faults.afterProcessing': '--fault-after-processing',
});

export function registerSim(program: Command, ctx: CliContext): void {
  program
    .command('sim')
    .description('run the offline simulator of the service on loopback until Ctrl-C')
    .configureHelp(helpWithoutPresets)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '0')
    .option('--key <key>', 'key of the test account (default: a generated one, printed on stdout)')
    .option('--threads <n>', 'threads of the test account', '10')
    .addOption(
      new Option('--profile <profile>', 'which service to imitate')
        .choices(['captchaai', '2captcha'])
        .default('captchaai'),
    )
    .option('--time-scale <x>', 'multiply every solve time (0.1: ten times faster solves)')
    .addOption(
      new Option(
        '--slot-release <when>',
        'when a thread frees: at solve, or when the answer is collected',
      ).choices(['solve', 'collect']),
    )
    .addOption(
      new Option('--capacity-code <code>', 'answer to a submit with no free thread').choices([
        'ERROR_ZERO_BALANCE',
        'ERROR_NO_SLOT_AVAILABLE',
      ]),
    )
    .option('--batch-poll', 'answer res.php?action=get&ids=1,2,3')
    .option('--no-threads-info', 'do not answer action=threadsinfo')
    .option(
      '--unsolvable-rate <r>',
      'share of tasks ending in ERROR_CAPTCHA_UNSOLVABLE (default: 0.02)',
    )
    .option('--rps <n>', 'per-key request rate limit, answered with HTTP 429 above it')
    .addOption(
      new Option('--retry-after <form>', 'Retry-After header on 429 answers').choices([
        'none',
        'seconds',
        'http-date',
      ]),
    )
    .option(
      '--clock-skew-ms <ms>',
      "how far the service's clock (Date header, date-form Retry-After) is ahead of this machine's; negative: behind",
    )
    .option('--fault-502 <r>', 'share of requests answered with an HTML 502 page')
    .option('--fault-reset <r>', 'share of requests whose connection is dropped')
    .option('--fault-truncated <r>', 'share of JSON answers cut in half')
    .option('--fault-slow-ms <ms>', 'delay of a slow answer')
    .option('--fault-slow-rate <r>', 'share of answers delayed by --fault-slow-ms')
    .option(
      '--fault-after-processing <r>',
      'share of 502/reset faults that strike after the request was handled (default: 0.5)',
    )
    .option('--seed <n>', "seed of the simulator's random numbers (default: 1)")
    .option(
      '--type-cap <TYPE=N>',
      `most tasks of a CAPTCHA type the platform takes at once, over all accounts (repeatable; TYPE: ${TYPE_LIST})`,
      repeatable,
    )
    .option(
      '--outage <TYPE:FROM-TO>',
      'refuse every submit of TYPE from FROM to TO seconds after the simulator started (repeatable)',
      repeatable,
    )
    .addOption(
      new Option(
        '--day-curve [TYPE=WORKERS,...]',
        "free platform workers per type, times the UTC hour's factor (vendor table: 1.0 at 00-06, 0.7 at 06-12 and 18-24, 0.4 at 12-18); without a value every type gets --threads workers; types not listed are unlimited (repeatable)",
      )
        .preset('')
        .argParser(repeatable),
    )
    .option(
      '--hour-factors <f0,...,f23>',
      "24 factors by UTC hour instead of the vendor table's, for --day-curve",
    )
    .option(
      '--start-hour <h>',
      "UTC hour at simulator start, for --day-curve (default: the clock's, i.e. now)",
    )
    .addOption(
      new Option(
        '--bursts [per-hour]',
        `random bursts taking all of a type's free workers (seconds, some minutes long), per hour at factor 1 and more often in busy hours, for --day-curve (default: ${DEFAULT_BURSTS_PER_HOUR})`,
      ).preset(''),
    )
    .addOption(
      new Option(
        '--platform-code <code>',
        'answer to a submit the platform has no worker for (default: the --capacity-code)',
      ).choices(['ERROR_ZERO_BALANCE', 'ERROR_NO_SLOT_AVAILABLE']),
    )
    .action(async (flags: SimFlags) => {
      await runSim(ctx, flags);
    });
}

async function runSim(ctx: CliContext, flags: SimFlags): Promise<void> {
  const port = parseNumberFlag('--port', flags.port, { integer: true, min: 0, max: 65535 });
  const options = simulatorOptions(flags);
  // Loaded here, not at the top: the other commands need none of the simulator.
  const { resolveSimulatorOptions } = await import('../../simulator/index.js');
  const { startSimulator } = await import('../embedded-simulator.js');
  let sim: RunningSimulator;
  try {
    resolveSimulatorOptions(options);
    sim = await startSimulator({ options, host: flags.host, port });
  } catch (error) {
    if (error instanceof ConfigError) {
      const flag = SIM_FLAGS[error.option] ?? platformFlagFor(error.option) ?? `--${error.option}`;
      throw new UsageError(flag, `${flag}: ${error.message}`);
    }
    throw error;
  }
  // Register the stop handler before printing the URL: whoever reads the URL may signal at once.
  const stopped = new Promise<string>((resolve) => {
    const off = ctx.io.onInterrupt((signal) => {
      off();
      resolve(signal);
    });
  });
  ctx.output.result(`captchaai simulator listening on ${sim.url}`);
  if (!isLoopback(flags.host)) {
    ctx.output.log(
      `warning: --host ${flags.host} is not a loopback address: the simulator, its test key and its accounts are reachable from other machines`,
    );
  }
  ctx.output.result(
    flags.key === undefined ? `key: ${sim.key}` : 'key: (the one given with --key)',
  );
  // Ready to paste into another shell, so any client there talks to this simulator; a key given
  // with --key may be a real one, and is never printed.
  ctx.output.result(
    `export CAPTCHAAI_BASE_URL=${sim.url}` +
      (flags.key === undefined ? ` CAPTCHAAI_KEY=${sim.key}` : ''),
  );
  ctx.output.log(
    `profile ${options.profile ?? 'captchaai'}, ${flags.threads} threads; Ctrl-C to stop`,
  );
  const platform = describePlatform(options.platform);
  if (platform !== undefined) ctx.output.log(platform);
  const signal = await stopped;
  await sim.close();
  ctx.output.log(`simulator stopped (${signal})`);
}

function simulatorOptions(flags: SimFlags): Partial<SimulatorOptions> {
  const profile = parseChoice('--profile', flags.profile, ['captchaai', '2captcha'] as const);
  const threads = parseNumberFlag('--threads', flags.threads, { integer: true, positive: true });
  const options: Partial<SimulatorOptions> = {
    profile,
    defaultAccount: flags.key === undefined ? { threads } : { key: flags.key, threads },
    threadsInfo: flags.threadsInfo,
  };
  const seed = parseOptionalNumber('--seed', flags.seed, { integer: true });
  if (seed !== undefined) options.seed = seed;
  const timeScale = parseOptionalNumber('--time-scale', flags.timeScale, { positive: true });
  if (timeScale !== undefined) options.timeScale = timeScale;
  if (flags.slotRelease !== undefined)
    options.slotRelease = parseChoice('--slot-release', flags.slotRelease, [
      'solve',
      'collect',
    ] as const);
  if (flags.capacityCode !== undefined) {
    options.capacityCode = parseChoice('--capacity-code', flags.capacityCode, [
      'ERROR_ZERO_BALANCE',
      'ERROR_NO_SLOT_AVAILABLE',
    ] as const);
  }
  if (flags.batchPoll === true) options.batchPoll = true;
  const unsolvableRate = parseRate('--unsolvable-rate', flags.unsolvableRate);
  if (unsolvableRate !== undefined) options.unsolvableRate = unsolvableRate;
  const rps = parseOptionalNumber('--rps', flags.rps, { positive: true });
  if (rps !== undefined) options.requestsPerSecond = rps;
  if (flags.retryAfter !== undefined)
    options.retryAfter = parseChoice('--retry-after', flags.retryAfter, [
      'none',
      'seconds',
      'http-date',
    ] as const);
  const clockSkewMs = parseOptionalNumber('--clock-skew-ms', flags.clockSkewMs);
  if (clockSkewMs !== undefined) options.clockSkewMs = clockSkewMs;
  const faults: NonNullable<SimulatorOptions['faults']> = {};
  const html502 = parseRate('--fault-502', flags.fault502);
  if (html502 !== undefined) faults.html502 = html502;
  const reset = parseRate('--fault-reset', flags.faultReset);
  if (reset !== undefined) faults.reset = reset;
  const truncated = parseRate('--fault-truncated', flags.faultTruncated);
  if (truncated !== undefined) faults.truncatedJson = truncated;
  const slowMs = parseOptionalNumber('--fault-slow-ms', flags.faultSlowMs, { min: 0 });
  if (slowMs !== undefined) faults.slowMs = slowMs;
  const slowRate = parseRate('--fault-slow-rate', flags.faultSlowRate);
  if (slowRate !== undefined) faults.slowRate = slowRate;
  const after = parseRate('--fault-after-processing', flags.faultAfterProcessing);
  if (after !== undefined) faults.afterProcessing = after;
  if (Object.keys(faults).length > 0) options.faults = faults;
  const platform = platformOptions(flags, threads);
  if (platform !== undefined) options.platform = platform;
  return options;
}

/**
 * Whether `host` listens on this machine only: `localhost`, 127.0.0.0/8 or ::1 (also as an
 * IPv4-mapped address). Anything else (0.0.0.0, ::, a LAN address, a name) may be reachable.
 */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return /^127(\.\d{1,3}){3}$/.test(v4);
}
