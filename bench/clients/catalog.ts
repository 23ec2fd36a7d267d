import type { ClientId } from '../scenarios/types.js';
import { oursClient } from './ours.js';
import { pQueueCappedClient } from './p-queue-capped.js';
import { pRetryFixedClient } from './p-retry-fixed.js';
import type { BenchClient } from './types.js';
import { vendorGuideClient } from './vendor-guide.js';

/** The client behind each id of a scenario's `clients` list. */
export function clientFor(id: ClientId): BenchClient {
  switch (id) {
    case 'ours':
      return oursClient();
    case 'vendor@20':
      return vendorGuideClient(id, { fixed: 20 });
    case 'vendor@L*':
      return vendorGuideClient(id, { timesLimit: 1 });
    case 'vendor@1.6L*':
      return vendorGuideClient(id, { timesLimit: 1.6 });
    case 'p-retry@L*':
      return pRetryFixedClient();
    case 'p-queue@L*':
      return pQueueCappedClient();
  }
}

export const CLIENT_IDS: readonly ClientId[] = [
  'ours',
  'vendor@20',
  'vendor@L*',
  'vendor@1.6L*',
  'p-retry@L*',
  'p-queue@L*',
];
