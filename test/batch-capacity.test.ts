// `captchaai batch` against `captchaai sim --outage`: both real CLI processes over loopback HTTP.
// While the platform refuses one CAPTCHA type, the progress line names it and for how long, and
// the summary counts the refusals per type and cause and by UTC hour. (`batch --sim` starts its
// own simulator without platform options, so the outage comes from a separate `captchaai sim`.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertExactlyOnce, distinctTasks, writeJsonl } from './helpers/batch.js';
import { ChildOutput, runCli, spawnCli } from './helpers/cli.js';
import { FAST } from './helpers/fixtures.js';
import { assertNoKeyLeak, SECRET_KEY } from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-batch-capacity-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface SimStats {
  accounts: Record<string, { capacityRejections: number; platformRejections: number }>;
}

test('a reCAPTCHA outage on the platform: the progress line names it, the summary counts it', async () => {
  const sim = spawnCli([
    'sim',
    '--key',
    SECRET_KEY,
    '--threads',
    '4',
    '--time-scale',
    '0.01',
    '--unsolvable-rate',
    '0',
    // Longer than the batch's first progress line (5 s after it starts): the line shows it.
    '--outage',
    'recaptchaV2:0-10',
  ]);
  const simOutput = new ChildOutput(sim);
  try {
    const url = (await simOutput.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/))[1] ?? '';
    const tasks = join(dir, 'mixed.jsonl');
    // turnstile, userrecaptcha, hcaptcha, in turn: the other types go on during the outage.
    const lines = distinctTasks(9, 'outage').map((task, i) => ({ id: `t${i}`, ...task }));
    writeJsonl(tasks, lines);
    const hourBefore = new Date().getUTCHours();
    const run = await runCli(['batch', tasks, '--base-url', url, ...FAST], {
      env: { CAPTCHAAI_KEY: SECRET_KEY },
      timeoutMs: 60_000,
    });
    const hourAfter = new Date().getUTCHours();
    assertNoKeyLeak(run, 'batch');
    assert.equal(run.code, 0, run.stderr);
    const records = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; status: 'ok' | 'error' });
    assertExactlyOnce(
      records,
      lines.map((l) => l.id),
    );
    assert.deepEqual(
      records.filter((r) => r.status !== 'ok'),
      [],
      'no line fails because its type is busy',
    );

    // Progress: a plain line (stderr is no terminal) while the type is refused.
    assert.match(
      run.stderr,
      /^batch: .* \| userrecaptcha: platform busy [\d.]+s, (next try in [\d.]+m?s|trying now)$/m,
    );
    // Summary: the refusals are the platform's, for userrecaptcha only.
    const perType = /^capacity refusals: (.*)$/m.exec(run.stderr)?.[1] ?? '';
    const recaptcha = /userrecaptcha: (\d+) platform \(busy [\d.]+s in 1 spell\)/.exec(perType);
    assert.ok(recaptcha, `no userrecaptcha platform refusals in ${JSON.stringify(perType)}`);
    assert.doesNotMatch(perType, /(turnstile|hcaptcha): \d+ platform/);
    const byHour = /^refusals by UTC hour: (.*)$/m.exec(run.stderr)?.[1] ?? '';
    const hours = [...byHour.matchAll(/(\d\d)h /g)].map((m) => Number(m[1]));
    assert.ok(hours.length > 0, `no hours in ${JSON.stringify(byHour)}`);
    for (const hour of hours) assert.ok(hour === hourBefore || hour === hourAfter, `hour ${hour}`);

    // Every refused submit the simulator saw is counted once in the summary, whatever its cause.
    const stats = (await (await fetch(`${url}/__sim/stats`)).json()) as SimStats;
    const account = Object.values(stats.accounts)[0];
    assert.ok(account && account.platformRejections >= 2, JSON.stringify(account));
    const counted = [...perType.matchAll(/(\d+) (platform|account)/g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    assert.equal(counted, account.capacityRejections, perType);
  } finally {
    sim.kill('SIGINT');
  }
  assert.equal(await simOutput.exit(), 0, simOutput.stderr);
});
