import { SolveTimeModel } from './solve-time-model.js';

/**
 * One learned solve-time model per method (an image and a reCAPTCHA differ by an order of
 * magnitude). A method's prior median is the documented first-poll delay of its timing class.
 */
export class SolveTimeRegistry {
  private readonly models = new Map<string, SolveTimeModel>();

  constructor(
    private readonly priorMedianMs: (method: string) => number,
    private readonly priorSigma = 0.6,
  ) {}

  get(method: string): SolveTimeModel {
    let model = this.models.get(method);
    if (!model) {
      // A long window: with sparse single polls each observation is a wide interval, and 256 of
      // them swung the fitted median by a factor of 3 at 500 threads. Refitting every 64 solves
      // keeps the EM off the hot path; the distribution drifts slowly.
      model = new SolveTimeModel(
        { medianMs: Math.max(1, this.priorMedianMs(method)), sigma: this.priorSigma },
        { window: 1024, refitEvery: 64 },
      );
      this.models.set(method, model);
    }
    return model;
  }
}
