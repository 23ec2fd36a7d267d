/** A daily span of UTC time when submitting is allowed; `22:00-06:00` wraps past midnight. */
export interface DailyWindow {
  /** Milliseconds after UTC midnight when it opens (inclusive). */
  startMs: number;
  /** Milliseconds after UTC midnight when it closes (exclusive). */
  endMs: number;
  /** As the user wrote it, for messages. */
  text: string;
}

const DAY_MS = 24 * 60 * 60_000;
const PATTERN = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/** Parses `HH:MM-HH:MM` (UTC). Throws RangeError saying what is wrong. */
export function parseWindow(text: string): DailyWindow {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`expected HH:MM-HH:MM (UTC), got ${JSON.stringify(text)}`);
  const [, h1, m1, h2, m2] = match;
  const startMs = timeOfDay(Number(h1), Number(m1), false, text);
  const endMs = timeOfDay(Number(h2), Number(m2), true, text);
  if (startMs === endMs) {
    throw new RangeError(
      `${JSON.stringify(text)} opens and closes at the same time; leave the window out to submit at any time`,
    );
  }
  return { startMs, endMs, text: text.trim() };
}

function timeOfDay(hours: number, minutes: number, isEnd: boolean, text: string): number {
  // 24:00 is a natural way to write "until midnight"; it is the same instant as 00:00.
  const midnight = isEnd && hours === 24 && minutes === 0;
  if (!midnight && (hours > 23 || minutes > 59)) {
    throw new RangeError(
      `${JSON.stringify(text)} is not a time of day (hours 00-23, minutes 00-59)`,
    );
  }
  return midnight ? 0 : (hours * 60 + minutes) * 60_000;
}

function msOfDay(nowMs: number): number {
  return ((nowMs % DAY_MS) + DAY_MS) % DAY_MS;
}

export function isWindowOpen(window: DailyWindow, nowMs: number): boolean {
  const t = msOfDay(nowMs);
  const { startMs, endMs } = window;
  return startMs < endMs ? t >= startMs && t < endMs : t >= startMs || t < endMs;
}

/** 0 while open; otherwise how long until it opens. */
export function msUntilOpen(window: DailyWindow, nowMs: number): number {
  if (isWindowOpen(window, nowMs)) return 0;
  return (window.startMs - msOfDay(nowMs) + DAY_MS) % DAY_MS;
}

/** 0 while closed; otherwise how long until it closes. */
export function msUntilClose(window: DailyWindow, nowMs: number): number {
  if (!isWindowOpen(window, nowMs)) return 0;
  return (window.endMs - msOfDay(nowMs) + DAY_MS) % DAY_MS || DAY_MS;
}
