import type { LimitPoint } from '../clients/types.js';

/** What the measure reads: all times in ms after the simulator's start. */
export interface LimitBelowInput {
  /** The client's limit estimate, in time order (it holds until the next point). */
  timeline: readonly LimitPoint[];
  /** The account's true threads at a time. */
  threadsAt(atMs: number): number;
  /** When the true threads change (plan changes). */
  changeTimesMs: readonly number[];
  /** Times by which a platform refusal had happened (each within `resolutionMs` before). */
  refusalTimesMs: readonly number[];
  /** The end of the measure: the last accepted submit (afterwards no work waits for a limit). */
  untilMs: number;
  /** How late a refusal time may be after the refusal itself (the sampling step). */
  resolutionMs: number;
}

/** The longest stretch, and the refusal it followed. */
export interface LimitBelowResult {
  longestMs: number;
  /** The refusal time it followed; null when no refusal found the limit below. */
  afterRefusalAtMs: number | null;
}

/** Maximal spans [fromMs, toMs) where the estimate is below the true threads. */
export function belowSpans(input: Omit<LimitBelowInput, 'refusalTimesMs' | 'resolutionMs'>): {
  spans: { fromMs: number; toMs: number }[];
  reachedAtMs: number | null;
} {
  const cuts = [...new Set([...input.timeline.map((p) => p.atMs), ...input.changeTimesMs])]
    .filter((t) => t < input.untilMs)
    .sort((a, b) => a - b);
  const spans: { fromMs: number; toMs: number }[] = [];
  let reachedAtMs: number | null = null;
  let next = 0;
  let limit: number | undefined;
  for (let i = 0; i < cuts.length; i++) {
    const at = cuts[i] as number;
    while (next < input.timeline.length && (input.timeline[next] as LimitPoint).atMs <= at) {
      limit = (input.timeline[next++] as LimitPoint).limit;
    }
    if (limit === undefined) continue;
    const end = cuts[i + 1] ?? input.untilMs;
    if (limit >= input.threadsAt(at)) {
      reachedAtMs ??= at;
      continue;
    }
    const last = spans[spans.length - 1];
    if (last && last.toMs === at) last.toMs = end;
    else spans.push({ fromMs: at, toMs: end });
  }
  return { spans, reachedAtMs };
}

/**
 * How long the client's limit estimate stayed below the account's true threads after a platform
 * refusal, at the longest. A refusal for lack of platform workers says nothing about the account,
 * so a client that lowers its estimate on one should raise it again soon. Refusals before the
 * estimate first reached the true threads are left out (the cold start's discovery is S1's
 * measure). A span is measured from the refusal (at the earliest `resolutionMs` before its time
 * stamp) or from the span's start if later, to the span's end.
 */
export function longestBelowAfterRefusal(input: LimitBelowInput): LimitBelowResult {
  const { spans, reachedAtMs } = belowSpans(input);
  let result: LimitBelowResult = { longestMs: 0, afterRefusalAtMs: null };
  if (reachedAtMs === null) return result;
  let k = 0;
  for (const r of input.refusalTimesMs) {
    if (r < reachedAtMs || r >= input.untilMs) continue;
    while (k < spans.length && (spans[k] as { toMs: number }).toMs <= r) k++;
    const span = spans[k];
    if (!span || span.fromMs > r) continue;
    const length = span.toMs - Math.max(span.fromMs, r - input.resolutionMs);
    if (length > result.longestMs) result = { longestMs: length, afterRefusalAtMs: r };
  }
  return result;
}

/** Sample times at which a cumulative refusal counter grew: a refusal happened in the step before. */
export function refusalTimes(t: readonly number[], counter: readonly number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  for (let i = 0; i < t.length && i < counter.length; i++) {
    const value = counter[i] as number;
    if (value > previous) out.push(t[i] as number);
    previous = value;
  }
  return out;
}
