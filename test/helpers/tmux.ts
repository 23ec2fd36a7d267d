// Runs a command in a detached tmux session, a real pseudo-terminal, so a test can read the
// screen a person would see (where bytes land after cursor moves and line clears), not only
// the bytes written.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether tmux can be run here; tests that need a terminal skip without it. */
export function tmuxInstalled(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface TerminalOptions {
  /** Directory the command runs in. */
  cwd: string;
  /** Where the command's exit code is written once it ends. */
  workDir: string;
  env?: NodeJS.ProcessEnv;
  columns?: number;
  rows?: number;
}

/** One command running on its own tmux server (a private socket: no clash with a user's tmux). */
export class TerminalSession {
  private readonly socket = `captchaai-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  private readonly exitFile: string;
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(command: string, options: TerminalOptions) {
    this.exitFile = join(options.workDir, 'exit-code');
    this.env = options.env;
    // The shell stays after the command so the pane, and its screen, outlive it.
    const script = `${command}; echo $? > '${this.exitFile}'; exec sleep 600`;
    this.tmux(
      'new-session',
      '-d',
      '-x',
      String(options.columns ?? 120),
      '-y',
      String(options.rows ?? 40),
      '-c',
      options.cwd,
      script,
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: this.env });
  }

  /** The whole pane, scrollback included, with lines the terminal wrapped joined again. */
  screen(): string[] {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-').replace(/\n+$/, '').split('\n');
  }

  sendKeys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Polls the screen until `test` holds; throws after `timeoutMs`. */
  async waitForScreen(test: (lines: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.screen();
      if (test(lines)) return lines;
      if (Date.now() > deadline) throw new Error(`screen never matched:\n${lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits for the command to end and returns its exit code. */
  async exitCode(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.exitFile) || readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline)
        throw new Error(`the command did not end:\n${this.screen().join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Number(readFileSync(this.exitFile, 'utf8').trim());
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore', env: this.env });
  }
}
