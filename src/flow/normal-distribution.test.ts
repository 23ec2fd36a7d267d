import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  normalCdf,
  normalLogSf,
  normalLogSfFast,
  normalLogSfInverse,
  normalMillsRatio,
  normalPdf,
  normalQuantile,
  normalSf,
} from './normal-distribution.js';

function close(actual: number, expected: number, relative: number, label = ''): void {
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(
    error <= relative,
    `${label} ${actual} vs ${expected}: relative error ${error} > ${relative}`,
  );
}

describe('normalCdf', () => {
  test('matches published values, tails included, to far better than 1e-7', () => {
    // Reference values from R's pnorm (Cody's algorithm), to 16 digits.
    const table: [number, number][] = [
      [0, 0.5],
      [1.96, 0.9750021048517795],
      [-1, 0.15865525393145707],
      [1, 0.8413447460685429],
      [-2.5, 0.006209665325776132],
      [-3, 0.0013498980316301],
      [-5, 2.866515718791939e-7],
      [-10, 7.619853024160527e-24],
      [-20, 2.753624118606233e-89],
    ];
    for (const [z, p] of table) close(normalCdf(z), p, 1e-12, `Phi(${z})`);
  });

  test('pdf and the tails agree with each other', () => {
    close(normalPdf(0), 0.3989422804014327, 1e-15);
    for (const z of [-8, -3.5, -2.9, -0.3, 0, 0.7, 2.99, 3.01, 6]) {
      close(normalSf(z), normalCdf(-z), 0, `sf(${z})`);
      assert.ok(Math.abs(normalCdf(z) + normalSf(z) - 1) < 1e-15, `cdf + sf at ${z}`);
      close(normalMillsRatio(z), normalSf(z) / normalPdf(z), 1e-12, `Mills(${z})`);
    }
  });

  test('is continuous where the series hands over to the continued fraction', () => {
    for (const z of [-3, 3]) {
      close(normalCdf(z - 1e-9), normalCdf(z + 1e-9), 1e-8, `around ${z}`);
    }
  });

  test('is monotone and stays inside [0, 1]', () => {
    let previous = 0;
    for (let z = -40; z <= 40; z += 0.01) {
      const p = normalCdf(z);
      assert.ok(p >= previous && p <= 1, `not monotone at ${z}`);
      previous = p;
    }
    assert.equal(normalCdf(-Infinity), 0);
    assert.equal(normalCdf(Infinity), 1);
    assert.ok(Number.isNaN(normalCdf(NaN)));
  });
});

describe('normalLogSf', () => {
  test('stays finite and matches the asymptotic series where the tail underflows', () => {
    for (const z of [40, 100, 1000]) {
      const asymptotic =
        -0.5 * z * z -
        Math.log(z) -
        0.5 * Math.log(2 * Math.PI) +
        Math.log1p(-1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6);
      close(normalLogSf(z), asymptotic, 1e-12, `logSf(${z})`);
    }
    close(normalLogSf(-2), Math.log(normalCdf(2)), 1e-15);
    close(normalLogSf(5), Math.log(normalSf(5)), 1e-13);
  });

  test('normalLogSfInverse round-trips, also below the smallest double', () => {
    for (const z of [-3, -0.5, 0, 1, 4, 12, 37, 45, 200]) {
      const back = normalLogSfInverse(normalLogSf(z));
      assert.ok(Math.abs(back - z) <= 1e-9 * Math.max(1, Math.abs(z)), `z=${z}: got ${back}`);
    }
    assert.equal(normalLogSfInverse(0), -Infinity);
    assert.equal(normalLogSfInverse(-Infinity), Infinity);
  });
});

describe('normalQuantile', () => {
  test('matches published values', () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-13);
    close(normalQuantile(0.025), -1.959963984540054, 1e-13);
    close(normalQuantile(0.999), 3.090232306167813, 1e-12);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-13);
    close(normalQuantile(0.3), -0.5244005127080407, 1e-13);
    assert.equal(normalQuantile(0.5), 0);
  });

  test('round-trips with the cdf across the whole range', () => {
    for (const p of [
      1e-300,
      1e-50,
      1e-12,
      1e-5,
      0.001,
      0.02425,
      0.1,
      0.3,
      0.5,
      0.77,
      0.97575,
      0.999,
      1 - 1e-10,
    ]) {
      close(normalCdf(normalQuantile(p)), p, 1e-12, `p=${p}`);
    }
    // Upper z are left out: cdf(6) = 1 - 1e-9 has already lost the digits that would tell z apart.
    for (let z = -30; z <= 3; z += 0.37) close(normalQuantile(normalCdf(z)), z, 1e-12, `z=${z}`);
    for (const p of [2 ** -30, 2 ** -7, 0.25])
      assert.equal(normalQuantile(1 - p), -normalQuantile(p));
  });

  test('ends at the infinities and rejects probabilities outside [0, 1]', () => {
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.ok(Number.isNaN(normalQuantile(-0.1)));
    assert.ok(Number.isNaN(normalQuantile(1.1)));
  });
});

describe('normalLogSfFast', () => {
  test('agrees with normalLogSf to 2e-7 across both tails', () => {
    let worst = 0;
    for (let z = -12; z <= 60; z += 0.01) {
      worst = Math.max(worst, Math.abs(normalLogSfFast(z) - normalLogSf(z)));
    }
    assert.ok(worst < 2e-7, `largest difference ${worst}`);
    assert.ok(worst > 0, 'a different formula, not the same one twice');
  });

  test('ends at the infinities and passes NaN through', () => {
    assert.equal(normalLogSfFast(-Infinity), 0);
    assert.equal(normalLogSfFast(Infinity), -Infinity);
    assert.ok(Number.isNaN(normalLogSfFast(NaN)));
  });
});
