import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDist } from './build-dist.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BatchMemoryOptions {
  lines: number;
  threads: number;
}

/** What bench/batch-memory.ts prints on its `result:` line. */
export interface BatchMemoryResult {
  lines: number;
  threads: number;
  compiled: boolean;
  peakRssMb: number;
  runtimeS: number;
  ok: number;
  failed: number;
  liveHeapMaxMb: number | null;
  execArgv: string[];
  /** Whether the run used the heap setting of `captchaai batch` (not overridden by flags). */
  heapTuned: boolean;
}

/**
 * Builds dist/ and runs bench/batch-memory.ts on it in a fresh process (the simulator in another,
 * over loopback), echoing its progress to stderr. Resolves with its `result:` line.
 */
export function runBatchMemory(options: BatchMemoryOptions): Promise<BatchMemoryResult> {
  buildDist();
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      'bench/batch-memory.ts',
      '--dist',
      '--lines',
      String(options.lines),
      '--threads',
      String(options.threads),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = /^result: (.*)$/m.exec(out)?.[1];
      if (code !== 0 || !line) {
        reject(new Error(`batch memory run exited with ${code}`));
        return;
      }
      resolve(JSON.parse(line) as BatchMemoryResult);
    });
  });
}
