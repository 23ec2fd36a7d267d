import type { TypeStatus } from '../flow/platform/type-gate.js';
import type { Clock } from '../time/clock.js';
import type { BatchStats } from './batch-stats.js';
import { formatDuration, formatRate } from './format.js';
import type { RunControl } from './run-control.js';

/** What the display reads, each tick. */
export interface ProgressSource {
  stats: BatchStats;
  control: Pick<RunControl, 'openCount' | 'heldCount' | 'windowOpensAt' | 'reason'>;
  flow: () => { limit: number; inFlight: number; waiting: number };
  /** Non-blank lines of the input, once counted (never for stdin). */
  total: () => number | undefined;
  /** The run's clock, on which `windowOpensAt` and the types' times are. */
  runClock: Clock;
  /** CAPTCHA types and their state on the platform (a busy or capped one is named). */
  types?: () => readonly TypeStatus[];
}

export type ProgressMode = 'bar' | 'lines' | 'none';

/** A live line at the bottom of a terminal, drawn by whoever owns that terminal's writes. */
export interface StatusBar {
  update(done: number, total: number, text: string): void;
  /** Takes the bar off the screen; whatever is printed next follows the lines above it. */
  stop(): void;
}

export interface ProgressOptions {
  /** Paces the display and measures its rates: real time, even when the run's clock is scaled. */
  clock: Clock;
  /** Where `lines` are written. */
  stream: NodeJS.WritableStream;
  /** Where `bar` draws; opened once the display starts. */
  openBar?: (() => StatusBar) | undefined;
  /** @default 200 for the bar, 5000 for lines */
  intervalMs?: number;
}

/** Samples of (time, done) over the last few seconds, for a rate that follows the run. */
class RateWindow {
  private readonly samples: Array<[number, number]> = [];
  constructor(private readonly spanMs: number) {}

  add(now: number, done: number): number {
    this.samples.push([now, done]);
    while (this.samples.length > 2 && now - (this.samples[1]?.[0] ?? now) >= this.spanMs)
      this.samples.shift();
    const [t0, d0] = this.samples[0] ?? [now, done];
    return now > t0 ? ((done - d0) * 1000) / (now - t0) : 0;
  }
}

/**
 * One status line: done/total, ok/failed, rate, in flight against the limit, ETA or window, and
 * each CAPTCHA type the platform holds back (the run is slow for it, not for the account).
 */
export function statusText(
  source: ProgressSource,
  rate: number,
): { done: number; total: number; text: string } {
  const { stats, control } = source;
  const flow = source.flow();
  const known = source.total();
  const done = stats.done + stats.skipped;
  const total = known ?? stats.read;
  const parts = [
    `${done}/${known ?? `${stats.read} read`}`,
    `ok ${stats.ok} failed ${stats.failed}`,
    `${formatRate(rate)}/s`,
    `in flight ${flow.inFlight}/${flow.limit}${flow.waiting > 0 ? ` (+${flow.waiting} waiting)` : ''}`,
  ];
  if (control.windowOpensAt !== undefined) {
    parts.push(`window opens in ${formatDuration(control.windowOpensAt - source.runClock.now())}`);
  } else if (control.reason !== undefined) {
    parts.push(`stopping (${control.reason}): ${control.openCount} open`);
  } else if (known !== undefined && rate > 0) {
    parts.push(`ETA ${formatDuration(((known - done) / rate) * 1000)}`);
  }
  parts.push(...heldTypes(source.types?.() ?? [], source.runClock.now()));
  return { done, total, text: parts.join(' | ') };
}

/** A part per type the platform holds back: all its workers busy, or a cap with tasks waiting. */
function heldTypes(types: readonly TypeStatus[], now: number): string[] {
  return types.flatMap((t) => {
    if (t.state === 'busy' && t.busySince !== undefined) {
      // Past its next try, the try is on its way (or waits for a thread): no countdown to show.
      const next =
        t.nextTryAt !== undefined && t.nextTryAt > now
          ? `next try in ${formatDuration(t.nextTryAt - now)}`
          : 'trying now';
      return [`${t.type}: platform busy ${formatDuration(now - t.busySince)}, ${next}`];
    }
    if (t.cap !== undefined && t.waiting > 0) {
      return [`${t.type}: platform takes ${t.cap} at once (+${t.waiting} waiting)`];
    }
    return [];
  });
}

/**
 * Shows how the run goes on stderr: a live bar on a terminal (or a plain line where no bar can be
 * opened), a plain line every few seconds otherwise (logs and CI), nothing with `none`. Returns
 * the function that stops it.
 */
export function startProgress(
  mode: ProgressMode,
  source: ProgressSource,
  options: ProgressOptions,
): () => void {
  if (mode === 'none') return () => undefined;
  const { clock } = options;
  const interval = options.intervalMs ?? (mode === 'bar' ? 200 : 5000);
  const rates = new RateWindow(10_000);
  // From the start, so the first line shows a rate too.
  rates.add(clock.now(), source.stats.done);
  const stopped = new AbortController();
  const bar = mode === 'bar' ? options.openBar?.() : undefined;
  const render = (): void => {
    const status = statusText(source, rates.add(clock.now(), source.stats.done));
    if (bar) bar.update(status.done, status.total, status.text);
    else options.stream.write(`batch: ${status.text}\n`);
  };
  const tick = async (): Promise<void> => {
    while (!stopped.signal.aborted) {
      await clock.sleep(interval, stopped.signal);
      render();
    }
  };
  tick().catch(() => undefined);
  return () => {
    if (stopped.signal.aborted) return;
    stopped.abort();
    if (bar) {
      render();
      bar.stop();
    }
  };
}
