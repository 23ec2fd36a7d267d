import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cubicRate, cubicRecovery } from './cubic-recovery.js';

test('cubicRecovery starts at beta * wMax, reaches the plateau at exactly K, holds, then probes', () => {
  const curve = cubicRecovery(100, 0.7, 0.01, 60_000);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  close(cubicRate(curve, 0, undefined), 70);
  close(cubicRate(curve, 60_000, undefined), 99);
  // K = cbrt((plateau - start) / C): the growth constant is what makes K the recovery window
  close(Math.cbrt((curve.plateau - curve.start) / curve.c), 60_000);
  // concave: most of the way back in the first half, flat near K
  close(cubicRate(curve, 30_000, undefined), 99 - 29 / 8);
  assert.ok(cubicRate(curve, 54_000, undefined) > 98.9);
  close(cubicRate(curve, 500_000, undefined), 99);
  close(cubicRate(curve, 500_000, 500_000), 99);
  // convex probe mirrors the climb: 60 s after the probe began it is as far above as it started below
  close(cubicRate(curve, 560_000, 500_000), 99 + 29);
  assert.ok(
    cubicRate(curve, 510_000, 500_000) < 100,
    'the first seconds of a probe stay under wMax',
  );
});

test('with a proven rate to hold the curve starts on its plateau, capped under wMax', () => {
  const held = cubicRecovery(100, 0.7, 0.01, 60_000, 90);
  assert.deepEqual([held.start, held.plateau, held.kMs, held.c], [90, 90, 0, 0]);
  assert.equal(cubicRate(held, 0, undefined), 90);
  assert.equal(cubicRate(held, 3_600_000, undefined), 90, 'holds until a probe starts');
  assert.equal(cubicRecovery(100, 0.7, 0.01, 60_000, 120).plateau, 99, 'never at or over wMax');
  const loose = cubicRecovery(100, 0.7, 0.01, 60_000, 50);
  assert.deepEqual([loose.start, loose.plateau, loose.kMs], [70, 99, 60_000], 'under beta: CUBIC');
  // a held curve probes like a full climb would: probeC is the same
  assert.equal(held.probeC, cubicRecovery(100, 0.7, 0.01, 60_000).probeC);
});

test('the quick probe ramp reaches wMax after rampMs, mostly near the limit, then climbs on', () => {
  const curve = cubicRecovery(100, 0.7, 0.01, 60_000, 80);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  close(cubicRate(curve, 10_000, 10_000, 30_000), 80);
  close(cubicRate(curve, 25_000, 10_000, 30_000), 100 - 20 / 8);
  close(cubicRate(curve, 40_000, 10_000, 30_000), 100);
  close(cubicRate(curve, 55_000, 10_000, 30_000), 100 + 20 / 8);
  // the mean over the ramp (what the span proves) is three quarters of the way up
  let sum = 0;
  for (let t = 0; t < 30_000; t += 10) sum += cubicRate(curve, 10_000 + t + 5, 10_000, 30_000);
  assert.ok(Math.abs(sum / 3_000 - 95) < 1e-3, `mean ${sum / 3_000}`);
  // without rampMs the same probe lingers near the plateau
  assert.ok(cubicRate(curve, 25_000, 10_000) < 81);
});
