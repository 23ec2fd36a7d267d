import { ManualClock } from '../time/manual-clock.js';
import type { ApiFile } from '../transport/types.js';
import type { SimulatorOptions } from './options.js';
import { Simulator } from './simulator.js';

// Shared fixtures for the simulator's in-process tests: a simulator on a manual clock with fast,
// always-solvable tasks, and helpers that submit and read answers as a client would.

export const GK = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-';
export const URL_ = 'https://e.com/login';
export const PROXY = { proxy: 'user:pw@10.0.0.1:3128', proxytype: 'HTTP' };
export const IMG = Buffer.alloc(500, 1);

export function setup(options: Partial<SimulatorOptions> = {}) {
  const clock = new ManualClock(0);
  const sim = new Simulator(
    {
      solveTime: { kind: 'fixed', ms: 10 },
      unsolvableRate: 0,
      defaultAccount: { threads: 1000 },
      ...options,
    },
    { clock },
  );
  const submit = async (params: Record<string, string>, file?: ApiFile) =>
    (
      await sim.handle({
        endpoint: 'in.php',
        httpMethod: 'POST',
        params: { key: sim.defaultKey, ...params },
        ...(file ? { file } : {}),
      })
    ).body;
  /** Submits, lets it solve, and returns the JSON answer object. */
  const solve = async (params: Record<string, string>, file?: ApiFile) => {
    const id = (await submit(params, file)).slice(3);
    await clock.advance(10);
    const res = await sim.handle({
      endpoint: 'res.php',
      httpMethod: 'GET',
      params: { key: sim.defaultKey, action: 'get', id, json: '1' },
    });
    return JSON.parse(res.body) as Record<string, unknown>;
  };
  const text = async (params: Record<string, string>) => {
    const id = (await submit(params)).slice(3);
    await clock.advance(10);
    return (
      await sim.handle({
        endpoint: 'res.php',
        httpMethod: 'GET',
        params: { key: sim.defaultKey, action: 'get', id },
      })
    ).body;
  };
  return { sim, submit, solve, text };
}

export const file = (data: Uint8Array, filename = 'c.png'): ApiFile => ({
  field: 'file',
  filename,
  contentType: 'image/png',
  data,
});
