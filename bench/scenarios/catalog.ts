import { capacityCauseScenarios } from './capacity-causes.js';
import { paretoScaleForMean } from './pareto.js';
import { ALL_CLIENTS as ALL, BASE, LOGNORMAL, MEAN_SOLVE_MS, saneRps } from './shared-settings.js';
import type { Scenario, ThreadChange } from './types.js';

interface Input extends Partial<Omit<Scenario, 'sim'>> {
  id: string;
  group: string;
  title: string;
  threads: number;
  tasks: number;
  sim?: Partial<Scenario['sim']>;
}

function scenario(input: Input): Scenario {
  const rps = input.sim?.requestsPerSecond;
  return {
    threadChanges: [],
    configuredRps: rps ?? saneRps(input.threads),
    clients: ALL,
    targets: 'none',
    ...input,
    sim: { ...BASE, solveTime: LOGNORMAL, ...input.sim },
  };
}

/** S1: cold start against an unknown limit, with and without batch polls (`ids=`). */
export function s1(threads: number, batchPoll: boolean, tasks = s1Tasks(threads)): Scenario {
  return scenario({
    id: `S1-${threads}-${batchPoll ? 'ids' : 'noids'}`,
    group: 'S1',
    title: `cold start, ${threads} slots, ${batchPoll ? 'with' : 'without'} ids=`,
    threads,
    tasks,
    sim: { batchPoll },
    targets: 'S1',
  });
}

/** About 20·L* tasks, at least 200 (1,000 at 50 slots), for a steady state. */
function s1Tasks(threads: number): number {
  return Math.max(200, 20 * threads);
}

const PARETO_ALPHA = 1.5;
const PARETO_CAP_MS = 240_000;

const S3_CHANGES: readonly ThreadChange[] = [
  { atMs: 300_000, threads: 25 },
  { atMs: 600_000, threads: 80 },
];

/** 10 s of 429 for everyone every 2 minutes, for two hours. */
function throttleWindows(): { fromMs: number; toMs: number }[] {
  return Array.from({ length: 60 }, (_, i) => ({
    fromMs: (i + 1) * 120_000,
    toMs: (i + 1) * 120_000 + 10_000,
  }));
}

/**
 * The forms of a 429's Retry-After: none, seconds, and an HTTP date from a server whose clock is
 * 0.9 s behind the client's (an HTTP date has whole seconds, and real clocks disagree by about
 * that much: read against the local clock, such a date says "now" while the server's window is
 * still shut).
 */
const S4_FORMS = [
  { suffix: 'noRA', retryAfter: 'none', clockSkewMs: 0, says: 'no Retry-After' },
  { suffix: 'RA', retryAfter: 'seconds', clockSkewMs: 0, says: 'Retry-After in seconds' },
  {
    suffix: 'date',
    retryAfter: 'http-date',
    clockSkewMs: -900,
    says: "Retry-After as an HTTP date, the server's clock 0.9 s behind",
  },
] as const;

/** Every scenario, in table order. */
export function catalog(): Scenario[] {
  return [
    ...[5, 50, 500].flatMap((n) => [s1(n, true), s1(n, false)]),
    scenario({
      id: 'S2-lognormal-1.0',
      group: 'S2',
      title: 'heavy tail: log-normal sigma 1.0, mean 20 s',
      threads: 50,
      tasks: 1000,
      sim: { solveTime: { kind: 'lognormal', meanMs: MEAN_SOLVE_MS, sigma: 1 } },
    }),
    scenario({
      id: 'S2-pareto-1.5',
      group: 'S2',
      title: `heavy tail: Pareto alpha ${PARETO_ALPHA}, capped at ${PARETO_CAP_MS / 1000} s, mean 20 s`,
      threads: 50,
      tasks: 1000,
      sim: {
        solveTime: {
          kind: 'pareto',
          alpha: PARETO_ALPHA,
          maxMs: PARETO_CAP_MS,
          scaleMs: paretoScaleForMean(MEAN_SOLVE_MS, PARETO_ALPHA, PARETO_CAP_MS),
        },
      },
    }),
    scenario({
      id: 'S3-50-25-80',
      group: 'S3',
      title: 'limit 50 → 25 at 300 s → 80 at 600 s',
      threads: 50,
      threadChanges: S3_CHANGES,
      tasks: 2400,
      targets: 'S3',
    }),
    ...S4_FORMS.map(({ suffix, retryAfter, clockSkewMs, says }) =>
      scenario({
        id: `S4-rps2-${suffix}`,
        group: 'S4',
        title: `2 req/s limit on 50 slots, ids=, ${says}`,
        threads: 50,
        tasks: 1000,
        sim: { requestsPerSecond: 2, retryAfter, clockSkewMs, batchPoll: true },
        targets: 'S4',
      }),
    ),
    scenario({
      id: 'S5-throttle',
      group: 'S5',
      title: '429 for everyone 10 s of every 120 s',
      threads: 50,
      tasks: 1000,
      sim: { throttleWindows: throttleWindows() },
    }),
    ...(['solve', 'collect'] as const).map((slotRelease) =>
      scenario({
        id: `S6-${slotRelease}`,
        group: 'S6',
        title: `slot freed at ${slotRelease === 'solve' ? 'completion (A)' : 'collection (B)'}`,
        threads: 50,
        tasks: 1000,
        sim: { slotRelease },
        targets: 'S6',
      }),
    ),
    ...[true, false].map((batchPoll) =>
      scenario({
        id: `S7-100-${batchPoll ? 'ids' : 'noids'}`,
        group: 'S7',
        title: `100 slots, batch polls ${batchPoll ? 'available' : 'not available'}`,
        threads: 100,
        tasks: 2000,
        sim: { batchPoll },
      }),
    ),
    scenario({
      id: 'S8-demand10',
      group: 'S8',
      title: 'app-limited: 10 tasks at a time on 50 slots',
      threads: 50,
      tasks: 500,
      demand: 10,
      clients: ['ours', 'vendor@20', 'p-retry@L*', 'p-queue@L*'],
      targets: 'S8',
    }),
    ...capacityCauseScenarios(),
  ];
}

/** Scale: 5,000 tasks in flight in one process (5,000 slots, 10,000 tasks, ids=). */
export function scaleScenario(threads = 5000, tasks = 2 * threads): Scenario {
  return scenario({
    id: `SCALE-${threads}`,
    group: 'SCALE',
    title: `${threads} tasks in flight (${threads} slots, ids=)`,
    threads,
    tasks,
    sim: { batchPoll: true },
    clients: ['ours'],
  });
}
