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

/** Every client, in table order (the list scenarios run by default). */
export { ALL_CLIENTS as CLIENT_IDS } from '../scenarios/shared-settings.js';
