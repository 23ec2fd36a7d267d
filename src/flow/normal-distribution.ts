// The standard normal distribution, written out here rather than taken from a dependency: the
// solve-time model needs tail-accurate values (a task 6 sigma into the tail is real with heavy
// tails), and the usual short erf approximations lose all relative accuracy out there.

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Below this |z| the cdf comes from a series of positive terms (no cancellation); beyond it the
 * tail comes from the Mills ratio's continued fraction, which converges in a few dozen steps.
 */
const SERIES_LIMIT = 3;

/** Density of the standard normal. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** Natural log of the density; finite far beyond the point where the density underflows. */
export function normalLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/**
 * Mills ratio Q(x) / pdf(x), where Q is the upper tail. For large x it is about 1/x, and it stays
 * finite where both Q and the pdf underflow, which is what keeps the tail formulas stable.
 */
export function normalMillsRatio(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x < SERIES_LIMIT) return normalSf(x) / normalPdf(x);
  return 1 / laplaceContinuedFraction(x);
}

/** Lentz's evaluation of x + 1/(x + 2/(x + 3/(x + ...))), the reciprocal of the Mills ratio. */
function laplaceContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let j = 1; j < 500; j++) {
    d = x + j * d;
    d = 1 / (d === 0 ? tiny : d);
    c = x + j / c;
    if (c === 0) c = tiny;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return f;
}

/** Marsaglia's series: cdf(z) = 1/2 + pdf(z) * sum z^(2n+1) / (2n+1)!!, all terms one sign. */
function centralSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 1; k < 200; k++) {
    term *= z2 / (2 * k + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return 0.5 + normalPdf(z) * sum;
}

/** Standard normal cdf, accurate to about 1e-14 relative in both tails. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === -Infinity) return 0;
  if (z === Infinity) return 1;
  if (Math.abs(z) < SERIES_LIMIT) return centralSeries(z);
  if (z < 0) return normalPdf(z) / laplaceContinuedFraction(-z);
  return 1 - normalPdf(z) / laplaceContinuedFraction(z);
}

/** Upper tail 1 - cdf(z), computed without the cancellation of the subtraction. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/** log(1 - cdf(z)); finite even where the tail itself underflows (z beyond about 38). */
export function normalLogSf(z: number): number {
  if (z >= SERIES_LIMIT) return normalLogPdf(z) - Math.log(laplaceContinuedFraction(z));
  return Math.log(normalSf(z));
}

/**
 * log(erfc(x)) for x >= 0, from the Chebyshev fit of Press et al. (Numerical Recipes, `erfcc`):
 * relative error under 1.2e-7 everywhere, tails included, and finite where erfc underflows.
 */
function logErfcFit(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

/**
 * log(1 - cdf(z)) to about 1e-7 relative, several times cheaper than normalLogSf: for estimates
 * summed over thousands of tasks on every tick, where the series' last digits buy nothing.
 */
export function normalLogSfFast(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === -Infinity) return 0;
  const x = Math.abs(z) * Math.SQRT1_2;
  if (z >= 0) return logErfcFit(x) - Math.LN2;
  return Math.log1p(-0.5 * Math.exp(logErfcFit(x)));
}

// Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step against
// normalCdf, which brings it to near machine precision.
const A = [
  -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716,
  2.506628277459239,
] as const;
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
] as const;
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
] as const;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** Inverse of normalCdf: -Infinity at 0, +Infinity at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Work in the lower half, where small probabilities keep their relative precision.
  if (p > 0.5) return -normalQuantile(1 - p);
  const x = acklam(p);
  const error = normalCdf(x) - p;
  const u = error * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * The z whose upper-tail log probability is `logQ` (inverse of normalLogSf). Needed when the
 * tail probability itself would underflow, e.g. conditioning on a task far past its median.
 */
export function normalLogSfInverse(logQ: number): number {
  if (Number.isNaN(logQ) || logQ > 0) return NaN;
  if (logQ === 0) return -Infinity;
  if (logQ === -Infinity) return Infinity;
  if (logQ > -700) return -normalQuantile(Math.exp(logQ));
  // Newton on logSf, which is concave: d/dz logSf(z) = -1 / MillsRatio(z).
  let z = Math.sqrt(-2 * logQ);
  for (let i = 0; i < 50; i++) {
    const step = (normalLogSf(z) - logQ) * normalMillsRatio(z);
    z += step;
    if (Math.abs(step) < 1e-14 * z) break;
  }
  return z;
}
