import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../metrics/summarize.js';
import { buildDist } from './build-dist.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RealChildOptions {
  /** A scenario id of the catalog, or SCALE-<threads>. */
  scenario: string;
  client: string;
  speedup: number;
  seed: number;
  /** Fewer tasks than the scenario's (short real-time runs). */
  tasks?: number;
  /** Sockets of the client's HTTP transport. */
  connections?: number;
}

let built = false;

/**
 * Runs harness/real-child.ts in its own process and returns its record: CPU time and peak RSS
 * are then the client's alone. The library runs compiled (dist/, built once per benchmark), as
 * a user runs it from the package; the benchmark's own code stays TypeScript through tsx.
 */
export function runRealInChild(options: RealChildOptions): Promise<RunRecord> {
  if (!built) {
    buildDist();
    built = true;
  }
  const args = [options.scenario, options.client, options.speedup, options.seed]
    .map(String)
    .concat(
      options.tasks !== undefined || options.connections !== undefined
        ? [String(options.tasks ?? '')]
        : [],
    )
    .concat(options.connections !== undefined ? [String(options.connections)] : []);
  return runJsonChild(
    ['--import', './bench/harness/compiled-library.mjs', 'bench/harness/real-child.ts', ...args],
    `real run ${options.scenario} ${options.client}`,
  ) as Promise<RunRecord>;
}

/** The CPU a bare undici client spends per 1,000 requests on this loopback (harness/http-floor.ts). */
export async function measureHttpFloor(requests = 11_000): Promise<number> {
  const result = (await runJsonChild(
    ['bench/harness/http-floor.ts', String(requests)],
    'HTTP floor',
  )) as { cpuMsPer1kRequests: number };
  return result.cpuMsPer1kRequests;
}

/** Runs `node --import tsx <args>` in a fresh process and parses the JSON on its last line. */
function runJsonChild(args: string[], what: string): Promise<unknown> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${what} exited with ${code}`));
        return;
      }
      resolve(JSON.parse(last));
    });
  });
}
