import { Simulator, startSimulatorServer } from '../simulator/index.js';
import type { SimulatorOptions } from '../simulator/options.js';
import type { Clock } from '../time/clock.js';
import type { Random } from '../time/random.js';

export interface RunningSimulator {
  /** Origin of the HTTP server, e.g. `http://127.0.0.1:38211`. */
  url: string;
  /** The key of the simulator's default account. */
  key: string;
  close(): Promise<void>;
}

export interface StartSimulatorInput {
  options: Partial<SimulatorOptions>;
  clock?: Clock;
  random?: Random;
  host: string;
  port: number;
}

/**
 * Starts the simulator's real HTTP server. `--sim` and `captchaai sim` both go through here, so
 * the CLI talks to the simulator exactly as it talks to the service: over sockets.
 */
export async function startSimulator(input: StartSimulatorInput): Promise<RunningSimulator> {
  const deps: { clock?: Clock; random?: Random } = {};
  if (input.clock) deps.clock = input.clock;
  if (input.random) deps.random = input.random;
  const simulator = new Simulator(input.options, deps);
  const server = await startSimulatorServer(simulator, { host: input.host, port: input.port });
  return {
    url: server.url,
    key: simulator.defaultKey,
    async close() {
      await server.close();
      simulator.close();
    },
  };
}
