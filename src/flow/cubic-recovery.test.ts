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
