import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDist } from '../harness/build-dist.js';
import type { RunRecord } from '../metrics/summarize.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ScaleOptions {
  mode: 'virtual' | 'real';
  threads: number;
  speedup: number;
  seed: number;
}

/**
 * Runs bench/scale/scale-child.ts in its own process and returns its record (with peak RSS). The
 * library runs compiled (dist/, built first), as a user runs it from the package; the benchmark's
 * own code stays TypeScript through tsx.
 */
export function runScale(options: ScaleOptions): Promise<RunRecord> {
  buildDist();
  const args = [options.mode, options.threads, options.speedup, options.seed].map(String);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './bench/harness/compiled-library.mjs',
      'bench/scale/scale-child.ts',
      ...args,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`scale run (${options.mode}) exited with ${code}`));
        return;
      }
      resolve(JSON.parse(last) as RunRecord);
    });
  });
}
