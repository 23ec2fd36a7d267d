// Simulators for CLI tests: started in the test process, served over real loopback HTTP.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Simulator,
  startSimulatorServer,
  type SimulatorOptions,
} from '../../src/simulator/index.js';
import type { CliRun } from './cli.js';

/** A recognisable key: any output containing "SECRETKEY" is a leak. */
export const SECRET_KEY = 'SECRETKEY0123456789abcdefghijklm';
/** Well formed (32 characters) but never registered: ERROR_KEY_DOES_NOT_EXIST. */
export const UNKNOWN_KEY = 'SECRETKEYzzzzzzzzzzzzzzzzzzzzzzz';
/** Too short: ERROR_WRONG_USER_KEY. */
export const MALFORMED_KEY = 'SECRETKEY-short';

export interface TestSimulator {
  sim: Simulator;
  url: string;
  /** The SECRET_KEY account's key. */
  key: string;
  close(): Promise<void>;
}

/** A simulator whose only account is SECRET_KEY; fast solves and no random failures unless asked. */
export async function startTestSimulator(
  options: Partial<SimulatorOptions> = {},
  account: { threads?: number; balance?: number } = {},
): Promise<TestSimulator> {
  const sim = new Simulator({
    timeScale: 0.01,
    unsolvableRate: 0,
    jsonIdAsNumber: true,
    ...options,
    defaultAccount: {
      key: SECRET_KEY,
      threads: account.threads ?? 50,
      balance: account.balance ?? 10,
    },
  });
  const server = await startSimulatorServer(sim, { host: '127.0.0.1', port: 0 });
  return {
    sim,
    url: server.url,
    key: SECRET_KEY,
    async close() {
      await server.close();
      sim.close();
    },
  };
}

/** An HTTP server that only counts requests: proof that a command sent nothing. */
export async function startCountingServer(): Promise<{
  url: string;
  count(): number;
  close(): Promise<void>;
}> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The key must never reach the terminal: not whole, not masked, not in an error. */
export function assertNoKeyLeak(run: CliRun, label = ''): void {
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    assert.ok(!text.includes('SECRETKEY'), `${label} ${stream} shows the key: ${text}`);
  }
}

/** Submits a task straight to the simulator (no CLI); returns its id. */
export async function submitDirect(
  sim: Simulator,
  key: string,
  params: Record<string, string>,
): Promise<string> {
  const response = await sim.handle({
    endpoint: 'in.php',
    httpMethod: 'POST',
    params: { ...params, key, json: '1' },
  });
  const body = JSON.parse(response.body) as { status: number; request: unknown };
  assert.equal(body.status, 1, `direct submit refused: ${response.body}`);
  return String(body.request);
}
