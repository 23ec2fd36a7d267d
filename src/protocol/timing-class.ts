import type { TimingClass } from '../solver/types.js';
import type { AnyTask } from './tasks/task.js';

const IMAGE_METHODS: ReadonlySet<string> = new Set(['post', 'base64', 'bls']);

/**
 * How long a task takes, which sets its first-poll delay and timeout: image methods (including
 * grids, which are image methods with `recaptcha=1`) and BLS answer in seconds, the Cloudflare
 * interstitial is the slowest, everything else is a token task. Unknown methods count as tokens,
 * the safe middle: polling them early only wastes requests, and their timeout is generous.
 */
export function timingClass(task: Pick<AnyTask, 'method'>): TimingClass {
  if (IMAGE_METHODS.has(task.method)) return 'image';
  if (task.method === 'cloudflare_challenge') return 'challenge';
  return 'token';
}
