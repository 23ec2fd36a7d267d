import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulatorStats } from '../../src/simulator/index.js';
import type { OccupancySamples } from '../metrics/phases.js';
import type { SimChildConfig } from './sim-child.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = 'bench/harness/sim-child.ts';
const START_TIMEOUT_MS = 30_000;

/** A simulator running in its own process, reached over loopback HTTP. */
export interface SimProcess {
  url: string;
  key: string;
  /** Wall-clock ms (Date.now()) when the simulator was created: the origin of its plan changes. */
  startedAtWall: number;
  /** `/__sim/stats?key=`: the account's counters. */
  stats(): Promise<SimulatorStats>;
  /** The occupancy samples the child took of itself so far. */
  samples(): Promise<OccupancySamples>;
  stop(): Promise<void>;
}

/** Spawns the simulator child and waits for the URL and key it prints. */
export async function startSimProcess(config: SimChildConfig): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const { url, key, startedAtWall } = await waitFor(
    child,
    () => stderr,
    () => {
      const u = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const k = /^key: (\S+)$/m.exec(stdout)?.[1];
      const s = /^started: (\d+)$/m.exec(stdout)?.[1];
      return u && k && s ? { url: u, key: k, startedAtWall: Number(s) } : undefined;
    },
  );
  return {
    url,
    key,
    startedAtWall,
    async stats() {
      const response = await fetch(`${url}/__sim/stats?key=${encodeURIComponent(key)}`);
      if (!response.ok) throw new Error(`simulator stats: HTTP ${response.status}`);
      return (await response.json()) as SimulatorStats;
    },
    async samples() {
      stdout = '';
      child.stdin?.write('dump\n');
      return waitFor(
        child,
        () => stderr,
        () => {
          const line = /^samples: (.*)$/m.exec(stdout)?.[1];
          return line ? (JSON.parse(line) as OccupancySamples) : undefined;
        },
      );
    },
    stop: () => stopChild(child),
  };
}

/** Resolves with `parse()`'s value once the child's output holds it. */
function waitFor<T>(
  child: ChildProcess,
  stderr: () => string,
  parse: () => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    const check = (): void => {
      const value = parse();
      if (value === undefined) return;
      done();
      resolve(value);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`simulator exited (${code}): ${stderr()}`));
    };
    const timer = setTimeout(() => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`simulator did not answer in time: ${stderr()}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
