import type { PlatformOptions } from '../../src/simulator/index.js';
import { ALL_CLIENTS as ALL, BASE, LOGNORMAL, saneRps } from './shared-settings.js';
import type { ClientId, Scenario, TargetSet, ThreadChange } from './types.js';

/**
 * S9-S12: the second cause of a capacity refusal. A submit is refused when the account's own
 * threads are all in use (S1-S8), but also when the platform has no free worker for the task's
 * CAPTCHA type; the answer carries the same code, so a client cannot tell the two apart. Every
 * scenario here runs reCAPTCHA v2 and image tasks interleaved 1:1 against an account whose
 * threads the client is not told, in virtual time.
 */

/** The outages of S9 start here, once the run is in steady state. */
export const OUTAGE_FROM_MS = 120_000;
const HOUR_MS = 3_600_000;
/**
 * A run still going after 2 hours of virtual time is stopped, its tasks left counted as failed:
 * each scenario's fluid ideal is under 40 minutes, and a client whose limit fell to 1 would
 * otherwise run for most of a virtual day.
 */
const STOP_AFTER_MS = 2 * HOUR_MS;

interface Input {
  id: string;
  group: string;
  title: string;
  threads: number;
  tasks: number;
  platform: PlatformOptions;
  targets: TargetSet;
  threadChanges?: readonly ThreadChange[];
  clients?: readonly ClientId[];
  stopAfterMs?: number;
}

function scenario(input: Input): Scenario {
  const { platform, threadChanges, clients, stopAfterMs, ...rest } = input;
  return {
    ...rest,
    workload: 'mixed',
    threadChanges: threadChanges ?? [],
    configuredRps: saneRps(input.threads),
    clients: clients ?? ALL,
    sim: { ...BASE, solveTime: LOGNORMAL, platform },
    stopAfterMs: stopAfterMs ?? STOP_AFTER_MS,
  };
}

/**
 * S9: every reCAPTCHA v2 submit refused by the platform for `outageS` seconds from 120 s. Enough
 * tasks that the image tasks could fill the account through the outage and the run goes on
 * well past its end (the reCAPTCHA v2 backlog).
 */
export function s9(outageS: number, tasks: number): Scenario {
  return scenario({
    id: `S9-${outageS}`,
    group: 'S9',
    title: `reCAPTCHA v2 refused by the platform for ${outageS} s from ${OUTAGE_FROM_MS / 1000} s, 50 threads`,
    threads: 50,
    tasks,
    platform: {
      outages: [
        { type: 'recaptchaV2', fromMs: OUTAGE_FROM_MS, toMs: OUTAGE_FROM_MS + outageS * 1000 },
      ],
    },
    targets: 'S9',
  });
}

/** S10: the platform takes at most `cap` reCAPTCHA v2 tasks of ours at once, on 50 threads. */
export function s10(cap: number, tasks: number): Scenario {
  return scenario({
    id: `S10-cap${cap}`,
    group: 'S10',
    title: `platform caps reCAPTCHA v2 at ${cap} of 50 threads`,
    threads: 50,
    tasks,
    platform: { caps: { recaptchaV2: cap } },
    targets: 'S10',
  });
}

/**
 * S11: a simulated day from 00:00 UTC on 10 threads. The day curve's default factors (1.0
 * 00-06, 0.7 06-12, 0.4 12-18, 0.7 18-24) on 10 reCAPTCHA v2 workers give 10 / 7 / 4 / 7: at
 * peak hours below the 5 threads the reCAPTCHA half of the work needs, off-peak above it. 50
 * image workers never bind (20 at peak, 10 in a peak burst). Bursts about twice an hour at
 * factor 1 (more as workers fall), each taking half the type's workers. 10 threads and 20 s
 * tasks keep the day to 43,000 tasks, so the scenario's CPU time stays reasonable.
 */
export function s11(tasks = 43_000): Scenario {
  return scenario({
    id: 'S11-day',
    group: 'S11',
    title: 'day curve over 24 h with bursts: reCAPTCHA v2 10 workers, image 50, 10 threads',
    threads: 10,
    tasks,
    platform: {
      dayCurve: {
        workers: { recaptchaV2: 10, image: 50 },
        startHourUtc: 0,
        bursts: { perHour: 2, depth: 0.5 },
      },
    },
    targets: 'S11',
    clients: ['ours', 'vendor@L*', 'p-retry@L*', 'p-queue@L*'],
    stopAfterMs: 30 * HOUR_MS,
  });
}

const S12_CHANGES: readonly ThreadChange[] = [
  { atMs: 600_000, threads: 25 },
  { atMs: 1_200_000, threads: 80 },
];

/**
 * S12: both causes at once. The account's threads bind (50 → 25 at 600 s → 80 at 1,200 s, as in
 * S3) while reCAPTCHA v2 alone has platform bursts (every one refusing all its submits, about 12
 * an hour) and a 60 s outage from 900 s; its 200 workers never bind otherwise.
 */
export function s12(tasks = 4_500): Scenario {
  return scenario({
    id: 'S12-50-25-80-bursts',
    group: 'S12',
    title: 'plan 50 → 25 → 80 with reCAPTCHA v2 bursts and a 60 s outage',
    threads: 50,
    threadChanges: S12_CHANGES,
    tasks,
    platform: {
      outages: [{ type: 'recaptchaV2', fromMs: 900_000, toMs: 960_000 }],
      dayCurve: { workers: { recaptchaV2: 200 }, bursts: { perHour: 12, depth: 1 } },
    },
    targets: 'S12',
  });
}

/** S9-S12 in table order. */
export function capacityCauseScenarios(): Scenario[] {
  return [s9(100, 1_500), s9(600, 3_600), s10(20, 2_000), s11(), s12()];
}
