import { catalog } from './scenarios/catalog.js';
import type { ClientId, Scenario } from './scenarios/types.js';

/** One scenario and the clients to run on it. */
export interface Plan {
  scenario: Scenario;
  clients: ClientId[];
}

/** A scenario of the catalog, optionally with fewer tasks (to keep real-time runs short). */
function byId(id: string, tasks?: number): Scenario {
  const found = catalog().find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return tasks === undefined ? found : { ...found, tasks };
}

/** Every scenario with its own client list, filtered by --only and --clients. */
export function virtualSuite(only: readonly string[], clients: readonly string[]): Plan[] {
  return filter(
    catalog().map((scenario) => ({ scenario, clients: [...scenario.clients] })),
    only,
    clients,
  );
}

/** The short real-time run of the default `npm run bench`: S1 at 50 slots with ids=. */
export function defaultRealSuite(only: readonly string[], clients: readonly string[]): Plan[] {
  return filter([{ scenario: byId('S1-50-ids'), clients: ['ours', 'vendor@L*'] }], only, clients);
}

/**
 * `--real`: the scenarios where wall-clock behaviour matters most, about three minutes at ×50
 * (S4 and S6 with 600 tasks instead of 1,000; S4 in each form of Retry-After).
 */
export function fullRealSuite(only: readonly string[], clients: readonly string[]): Plan[] {
  return filter(
    [
      { scenario: byId('S1-50-ids'), clients: ['ours', 'vendor@L*', 'p-retry@L*'] },
      { scenario: byId('S1-50-noids'), clients: ['ours'] },
      { scenario: byId('S3-50-25-80'), clients: ['ours'] },
      { scenario: byId('S4-rps2-RA', 600), clients: ['ours', 'p-queue@L*'] },
      { scenario: byId('S4-rps2-noRA', 600), clients: ['ours'] },
      { scenario: byId('S4-rps2-date', 600), clients: ['ours'] },
      { scenario: byId('S6-collect', 600), clients: ['ours', 'vendor@L*'] },
    ],
    only,
    clients,
  );
}

/**
 * Whether `--only` item `o` selects the scenario: its id, its group (`S1` is S1-*, not S10-S12),
 * or a prefix of its id that ends at a dash (`S1-50` is S1-50-ids and S1-50-noids, not S1-500-*).
 */
export function matchesOnly(scenario: Pick<Scenario, 'id' | 'group'>, o: string): boolean {
  return scenario.id === o || scenario.group === o || scenario.id.startsWith(`${o}-`);
}

function filter(plans: Plan[], only: readonly string[], clients: readonly string[]): Plan[] {
  return plans
    .filter((p) => only.length === 0 || only.some((o) => matchesOnly(p.scenario, o)))
    .map((p) => ({
      scenario: p.scenario,
      clients: clients.length === 0 ? p.clients : p.clients.filter((c) => clients.includes(c)),
    }))
    .filter((p) => p.clients.length > 0);
}
