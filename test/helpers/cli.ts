// Runs the CLI as a real child process from the project root (through tsx, so no build is
// needed) and collects what it prints.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'src/cli/main.ts';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Added to a copy of this process's environment without any CAPTCHAAI_* variable. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; stdin is closed at once when absent. */
  input?: string;
  /** Kill the child after this long (a hung CLI must fail the test, not hang it). @default 20000 */
  timeoutMs?: number;
}

/** This process's environment without any CAPTCHAAI_* variable, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('CAPTCHAAI_') && !name.startsWith('NODE_TEST')) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Starts the CLI; the caller owns the child. */
export function spawnCli(
  args: readonly string[],
  options: Pick<CliRunOptions, 'env'> = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: PROJECT_ROOT,
    env: childEnv(options.env),
    stdio: 'pipe',
  });
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Watches a long-running child's output from the moment it is created, so a match cannot be
 * missed because it arrived in an earlier chunk.
 */
export class ChildOutput {
  stdout = '';
  stderr = '';
  private readonly closed: Promise<number | null>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  /** The first match of `pattern` in stdout (or stderr); rejects if the child ends or time runs out first. */
  async waitFor(
    pattern: RegExp,
    timeoutMs = 15_000,
    stream: 'stdout' | 'stderr' = 'stdout',
  ): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.closed.then(() => (ended = true));
    for (;;) {
      const match = pattern.exec(this[stream]);
      if (match) return match;
      if (ended || Date.now() > deadline) {
        throw new Error(
          `no ${String(pattern)} on stdout; got ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The exit code, once the child has ended. */
  exit(): Promise<number | null> {
    return this.closed;
  }
}

/** Runs `tasks` with at most `limit` at once, keeping their order in the result. */
export async function inParallel<T>(
  limit: number,
  tasks: ReadonlyArray<() => Promise<T>>,
): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task) results[index] = await task();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
