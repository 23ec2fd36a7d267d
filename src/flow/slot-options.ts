import { ConfigError } from '../errors/config-error.js';

export interface SlotControllerOptions {
  /** A hard ceiling on tasks in flight, e.g. the plan's thread count. @default undefined (none) */
  maxConcurrency?: number;
  /**
   * Where the limit starts when nothing better is known (no `maxConcurrency`, no `threadsinfo`).
   * Slow start doubles it per round of accepted submits until the first capacity rejection.
   * @default 4
   */
  initialLimit?: number;
  /**
   * Completions at the ceiling before the first probe one slot higher; doubles after each failed
   * probe. A failed probe costs one rejected submit, so this bounds rejections per solved task.
   * @default 20
   */
  probeAfterCompletions?: number;
  /** Probe at least this often while demand exceeds the limit, so a raised plan is found. @default 30000 */
  maxProbeIntervalMs?: number;
  /** After a failed probe, wait at most this many completions before the next one. @default 512 */
  maxProbeBackoffCompletions?: number;
  /**
   * When the service frees a thread: at the solve, or when the result is collected. Undocumented,
   * so by default it is learnt from rejections. @default undefined (learnt)
   */
  slotRelease?: 'solve' | 'collect';
}

export interface ResolvedSlotControllerOptions {
  maxConcurrency: number | undefined;
  initialLimit: number;
  probeAfterCompletions: number;
  maxProbeIntervalMs: number;
  maxProbeBackoffCompletions: number;
  slotRelease: 'solve' | 'collect' | undefined;
}

export const DEFAULT_SLOT_CONTROLLER_OPTIONS = Object.freeze({
  initialLimit: 4,
  probeAfterCompletions: 20,
  maxProbeIntervalMs: 30_000,
  maxProbeBackoffCompletions: 512,
});

export function resolveSlotControllerOptions(
  input: SlotControllerOptions = {},
): ResolvedSlotControllerOptions {
  const out: ResolvedSlotControllerOptions = {
    maxConcurrency: input.maxConcurrency,
    initialLimit: input.initialLimit ?? DEFAULT_SLOT_CONTROLLER_OPTIONS.initialLimit,
    probeAfterCompletions:
      input.probeAfterCompletions ?? DEFAULT_SLOT_CONTROLLER_OPTIONS.probeAfterCompletions,
    maxProbeIntervalMs:
      input.maxProbeIntervalMs ?? DEFAULT_SLOT_CONTROLLER_OPTIONS.maxProbeIntervalMs,
    maxProbeBackoffCompletions:
      input.maxProbeBackoffCompletions ??
      DEFAULT_SLOT_CONTROLLER_OPTIONS.maxProbeBackoffCompletions,
    slotRelease: input.slotRelease,
  };
  if (
    out.slotRelease !== undefined &&
    out.slotRelease !== 'solve' &&
    out.slotRelease !== 'collect'
  ) {
    throw new ConfigError(
      'slotRelease',
      `Option "slotRelease" must be "solve" or "collect", got ${JSON.stringify(out.slotRelease)}`,
    );
  }
  if (out.maxConcurrency !== undefined) wholePositive('maxConcurrency', out.maxConcurrency);
  wholePositive('initialLimit', out.initialLimit);
  wholePositive('probeAfterCompletions', out.probeAfterCompletions);
  wholePositive('maxProbeBackoffCompletions', out.maxProbeBackoffCompletions);
  if (!(out.maxProbeIntervalMs > 0)) {
    throw new ConfigError(
      'maxProbeIntervalMs',
      `Option "maxProbeIntervalMs" must be > 0, got ${out.maxProbeIntervalMs}`,
    );
  }
  return out;
}

function wholePositive(option: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(option, `Option "${option}" must be a whole number > 0, got ${value}`);
  }
}
