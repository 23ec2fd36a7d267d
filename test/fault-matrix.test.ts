// The fault matrix: every way a server or network can fail one endpoint (in.php or res.php) while
// the other works, against the Solver over real HTTP on loopback. Each run must end within its
// timeout plus a small margin, in bounded memory, with a bounded number of requests, every task
// accounted for, and a failure that names its cause.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RecaptchaV2Task } from '../src/index.js';
import { Solver } from '../src/solver/solver.js';
import { startFaultProxy, type Fault } from './helpers/fault-proxy.js';
import { SECRET_KEY, startTestSimulator, type TestSimulator } from './helpers/simulator.js';

const TASKS = 4;
const TIMEOUT_MS = 4_000;
const REQUEST_TIMEOUT_MS = 1_500;
/** The limit discovery's own deadline (3 s) and a margin for a loaded machine. */
const MARGIN_MS = 3_000 + 2_500;
/** Requests a run may make: a few per task per second of its timeout, however the server fails. */
const MAX_REQUESTS = TASKS * 8;

function tasks(): RecaptchaV2Task[] {
  return Array.from({ length: TASKS }, (_, i) => ({
    method: 'userrecaptcha',
    googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
    pageurl: `https://example.com/fault-matrix/${i}-${Math.random()}`,
  }));
}

/** What each fault's failures must name: the error code, or words of its message. */
const CAUSE: Record<Fault | 'refused', RegExp> = {
  hang: /UND_ERR_HEADERS_TIMEOUT|ETIMEDOUT/,
  trickle: /ETIMEDOUT|not complete within/,
  endless: /larger than 1048576 bytes/,
  huge: /larger than 1048576 bytes/,
  html: /UNPARSEABLE_RESPONSE/,
  reset: /ECONNRESET|UND_ERR_SOCKET|other side closed/,
  truncated: /UNPARSEABLE_RESPONSE/,
  'not-found': /HTTP_404/,
  refused: /ECONNREFUSED/,
};

let sim: TestSimulator;
before(async () => {
  sim = await startTestSimulator({ timeScale: 0.05 });
});
after(async () => sim.close());

async function runMatrixCase(baseUrl: string): Promise<{
  ms: number;
  grownMb: number;
  results: Array<{ ok: boolean; text: string }>;
}> {
  const solver = new Solver({
    key: SECRET_KEY,
    baseUrl,
    timeoutMs: { token: TIMEOUT_MS },
    firstPollDelayMs: { token: 200 },
    pollIntervalMs: 300,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const results: Array<{ ok: boolean; text: string }> = [];
  try {
    for await (const item of solver.solveMany(tasks())) {
      if (item.ok) results.push({ ok: true, text: String(item.result.taskId) });
      else {
        const error = item.error as Error & { code?: string };
        results.push({ ok: false, text: `${error.code}: ${error.message}` });
      }
    }
  } finally {
    clearInterval(sampler);
    await solver.close();
  }
  return {
    ms: performance.now() - started,
    grownMb: (rssPeak - rssBefore) / (1 << 20),
    results,
  };
}

function check(
  label: string,
  cause: RegExp,
  run: Awaited<ReturnType<typeof runMatrixCase>>,
  requests: number,
): void {
  assert.equal(run.results.length, TASKS, `${label}: every task reported`);
  assert.ok(
    run.ms <= TIMEOUT_MS + MARGIN_MS,
    `${label}: took ${run.ms.toFixed(0)} ms, over the ${TIMEOUT_MS} ms timeout and its margin`,
  );
  assert.ok(run.grownMb < 128, `${label}: RSS grew by ${run.grownMb.toFixed(0)} MB`);
  assert.ok(requests <= MAX_REQUESTS, `${label}: ${requests} requests for ${TASKS} tasks`);
  const failures = run.results.filter((r) => !r.ok);
  assert.ok(failures.length > 0, `${label}: the fault did not show`);
  for (const failure of failures) {
    assert.match(
      failure.text,
      cause,
      `${label}: the failure does not name its cause: ${failure.text}`,
    );
    assert.doesNotMatch(failure.text, new RegExp(SECRET_KEY), `${label}: the key in an error`);
  }
}

const FAULTS: Fault[] = [
  'hang',
  'trickle',
  'endless',
  'huge',
  'html',
  'reset',
  'truncated',
  'not-found',
];

describe('fault matrix', { concurrency: 4 }, () => {
  for (const endpoint of ['in.php', 'res.php'] as const) {
    for (const fault of FAULTS) {
      test(`${fault} on ${endpoint}`, async (t) => {
        const proxy = await startFaultProxy(sim.url, endpoint, fault);
        try {
          const run = await runMatrixCase(proxy.url);
          const requests = proxy.requests.submit + proxy.requests.poll;
          t.diagnostic(
            `${run.ms.toFixed(0)} ms, ${requests} requests, RSS +${run.grownMb.toFixed(0)} MB`,
          );
          check(`${fault} on ${endpoint}`, CAUSE[fault], run, requests);
        } finally {
          await proxy.close();
        }
      });
    }
  }

  test('connection refused', async () => {
    const proxy = await startFaultProxy('http://127.0.0.1:9', 'in.php', 'hang');
    const url = proxy.url;
    await proxy.close();
    const run = await runMatrixCase(url);
    check('refused', CAUSE.refused, run, 0);
  });
});
