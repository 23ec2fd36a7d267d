import type { CapacityStats, HourRefusals, TypeCapacity } from './capacity-stats.js';
import { formatDuration } from './format.js';

/**
 * The summary's capacity lines: refusals per CAPTCHA type and cause, with how long the platform
 * held each type busy, then the refusals by UTC hour. None when nothing was refused. `speed`
 * turns durations on the run's clock into real time (--sim runs its clock faster).
 */
export function capacityLines(stats: CapacityStats, speed = 1): string[] {
  if (stats.refusals === 0) return [];
  const types = [...stats.byType.entries()]
    .filter(([, c]) => c.account + c.platform > 0)
    .map(
      ([type, c]) =>
        `${type}: ${typeCauses(c, stats.busyMs(type) / speed, stats.busySpells(type))}`,
    );
  const hours = stats.byUtcHour.flatMap((h, hour) =>
    h.account + h.platform > 0 ? [`${String(hour).padStart(2, '0')}h ${hourCauses(h)}`] : [],
  );
  return [`capacity refusals: ${types.join('; ')}`, `refusals by UTC hour: ${hours.join(', ')}`];
}

function typeCauses(c: TypeCapacity, busyMs: number, spells: number): string {
  const held = [
    spells > 0 ? `busy ${formatDuration(busyMs)} in ${spells} spell${spells === 1 ? '' : 's'}` : '',
    c.lowestCap !== undefined ? `at most ${c.lowestCap} at once` : '',
  ].filter(Boolean);
  return [
    c.platform > 0 ? `${c.platform} platform${held.length > 0 ? ` (${held.join(', ')})` : ''}` : '',
    c.account > 0 ? `${c.account} account` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function hourCauses(h: HourRefusals): string {
  return [
    h.platform > 0 ? `${h.platform} platform` : '',
    h.account > 0 ? `${h.account} account` : '',
  ]
    .filter(Boolean)
    .join(' + ');
}
