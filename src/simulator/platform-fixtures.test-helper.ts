import type { ApiEndpoint } from '../errors/api-error.js';
import { ManualClock } from '../time/manual-clock.js';
import type { PlatformType, SimulatorOptions } from './options.js';
import { Simulator } from './simulator.js';

// Fixtures for the platform tests: a simulator on a manual clock that does not start at 0 (so
// windows are seen to be relative to construction), and a submit of any of three types.

export const START = 1_700_000_000_000;
export const HOUR = 3_600_000;
const GOOGLEKEY = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-';
const IMAGE = Buffer.alloc(500, 7).toString('base64');

/** Valid submit parameters of a type; `n` makes each task different. */
export function paramsOf(type: PlatformType, n: number): Record<string, string> {
  const pageurl = `https://e.com/${n}`;
  switch (type) {
    case 'recaptchaV2':
      return { method: 'userrecaptcha', googlekey: GOOGLEKEY, pageurl };
    case 'turnstile':
      return { method: 'turnstile', sitekey: '0x4AAA', pageurl };
    case 'image':
      return { method: 'base64', body: IMAGE, textinstructions: String(n) };
    default:
      throw new Error(`no fixture for ${type}`);
  }
}

export function setup(options: Partial<SimulatorOptions> = {}, start = START) {
  const clock = new ManualClock(start);
  const sim = new Simulator(
    {
      solveTime: { kind: 'fixed', ms: 1000 },
      unsolvableRate: 0,
      defaultAccount: { threads: 100 },
      ...options,
    },
    { clock },
  );
  let n = 0;
  const call = async (
    endpoint: ApiEndpoint,
    params: Record<string, string>,
    key = sim.defaultKey,
  ) => (await sim.handle({ endpoint, httpMethod: 'GET', params: { key, ...params } })).body;
  const submit = (type: PlatformType, key?: string) => call('in.php', paramsOf(type, n++), key);
  const poll = (id: string) => call('res.php', { action: 'get', id });
  return { clock, sim, call, submit, poll };
}

export function idOf(body: string): string {
  if (!/^OK\|\d+$/.test(body)) throw new Error(`not accepted: ${body}`);
  return body.slice(3);
}
