import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBalance } from './commands/balance.js';
import { registerBatch } from './commands/batch.js';
import { registerReport } from './commands/report.js';
import { registerSim } from './commands/sim.js';
import { registerSolve } from './commands/solve.js';
import { registerThreads } from './commands/threads.js';
import type { CliContext } from './context.js';
import { EXIT, reportError } from './exit-codes.js';
import { Output, type CliIO } from './output.js';

/**
 * Runs one command line and returns the exit code. Never throws and never exits the process,
 * so the caller decides how to end it.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const output = new Output(io);
  // Registered before anything is parsed, so even commander's own error messages are masked.
  for (const secret of keysIn(argv, io.env)) output.addSecret(secret);
  const ctx: CliContext = { io, output, profile: 'captchaai', exitCode: EXIT.ok };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return EXIT.ok;
      // No command given: commander has already printed the help to stderr.
      if (error.code === 'commander.help') return EXIT.usage;
    }
    return reportError(error, output, ctx.profile);
  }
}

function buildProgram(ctx: CliContext): Command {
  const program = new Command('captchaai');
  // Set before the commands are added: commander copies these settings into each of them.
  program
    .exitOverride()
    // Program flags only before the command: `solve --version v3` is a task parameter.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(ctx.output.redact(text)),
      writeErr: (text) => ctx.io.stderr.write(ctx.output.redact(text)),
      // reportError prints the one-line error; commander's own copy would be a second line.
      outputError: () => undefined,
    })
    .description(
      'Solve CAPTCHAs through CaptchaAI or any 2captcha-compatible in.php/res.php service',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .addHelpText(
      'after',
      // sim is the service itself: it has no service to point at or to embed.
      '\nEvery command but sim takes --key (or CAPTCHAAI_KEY), --base-url, --profile and --sim; see captchaai <command> --help.',
    );
  registerSolve(program, ctx);
  registerBatch(program, ctx);
  registerBalance(program, ctx);
  registerThreads(program, ctx);
  registerReport(program, ctx);
  registerSim(program, ctx);
  return program;
}

/** The API keys this command line could carry: `--key K`, `--key=K` and CAPTCHAAI_KEY. */
function keysIn(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const keys: string[] = [];
  const fromEnv = env['CAPTCHAAI_KEY']?.trim();
  if (fromEnv) keys.push(fromEnv);
  argv.forEach((arg, i) => {
    if (arg === '--key' && argv[i + 1] !== undefined) keys.push(argv[i + 1] ?? '');
    else if (arg.startsWith('--key=')) keys.push(arg.slice('--key='.length));
  });
  return keys;
}

function packageVersion(): string {
  // src/cli/ and dist/cli/ are both two levels below the package root.
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(raw) as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}
