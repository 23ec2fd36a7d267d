import type { Command } from 'commander';
import { uncheckedTask, validateTask } from '../../protocol/index.js';
import type { SolveOptions } from '../../solver/types.js';
import { interruptSignal, type CliContext } from '../context.js';
import { DURATION, parseOptionalNumber, POLL_INTERVAL } from '../flag-values.js';
import { addGlobalOptions, resolveGlobalOptions, type GlobalFlags } from '../global-options.js';
import { showProgress } from '../progress.js';
import { openSession, type SolverTuning } from '../session.js';
import { buildTask } from '../task-input.js';

interface SolveFlags extends GlobalFlags {
  method?: string;
  file?: string;
  body?: string;
  json?: boolean;
  timeout?: string;
  pollInterval?: string;
  firstPollDelay?: string;
  maxAttempts?: string;
  allowUnknownMethod?: boolean;
  quiet?: boolean;
}

const EXAMPLES = `
Every other --name value is sent as a task parameter, as the service names it:
  captchaai solve --method userrecaptcha --googlekey KEY --pageurl https://example.com
  captchaai solve --method userrecaptcha --version v3 --googlekey KEY --pageurl URL --action login --min_score 0.3
  captchaai solve --method post --file captcha.png
  captchaai solve '{"method":"turnstile","sitekey":"0x4AAA...","pageurl":"https://example.com"}'
  echo '{"method":"base64","body":"..."}' | captchaai solve
  captchaai solve --sim --method hcaptcha --sitekey S --pageurl U     (no key needed)

Exit codes: 0 solved, 1 the task failed, 2 usage error, 3 account error, 130 interrupted,
141 stdout closed by its reader (| head).`;

export function registerSolve(program: Command, ctx: CliContext): void {
  const command = program
    .command('solve')
    .description('solve one CAPTCHA and print the answer on stdout')
    .argument(
      '[task]',
      'the task as JSON, or - to read it from stdin (put it before any parameter flag)',
    )
    .option(
      '--method <method>',
      'task type: post, base64, userrecaptcha, turnstile, cloudflare_challenge, geetest, geetest_v4, hcaptcha, captchafox, friendly_captcha, lemin, bls',
    )
    .option(
      '--file <path>',
      'image file: uploaded as multipart for method post, encoded into body for base64',
    )
    .option('--body <base64>', 'base64 image for method base64 (or bls body)')
    .option('--json', 'print the whole result {taskId, solution, extra, elapsedMs} as JSON')
    .option(
      '--timeout <ms>',
      'give up after this long (default: 120000 for images, 300000 for tokens)',
    )
    .option('--poll-interval <ms>', 'delay between polls (default: 5000)')
    .option(
      '--first-poll-delay <ms>',
      'delay before the first poll (default: 5000 for images, 15000 for tokens, 20000 for challenges)',
    )
    .option(
      '--max-attempts <n>',
      'attempts for a request that fails transiently: 5xx, HTML page, reset (default: 5)',
    )
    .option(
      '--allow-unknown-method',
      'send a method this client does not know, checked only for a method and sendable parameters',
    )
    .option('-q, --quiet', 'print only the answer and errors')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', EXAMPLES);
  addGlobalOptions(command).action(async (_task: unknown, flags: SolveFlags, self: Command) => {
    const options = self.options.flatMap((option) => option.long ?? []);
    await runSolve(ctx, flags, self.args, options);
  });
}

async function runSolve(
  ctx: CliContext,
  flags: SolveFlags,
  args: readonly string[],
  options: readonly string[],
): Promise<void> {
  const { io, output } = ctx;
  // Before the session opens: it announces the embedded simulator, which -q must not print.
  output.quiet = flags.quiet === true;
  const settings = resolveGlobalOptions(flags, io.env);
  ctx.profile = settings.profile;
  const timeoutMs = parseOptionalNumber('--timeout', flags.timeout, DURATION);
  const tuning = solverTuning(flags);
  const task = await buildTask({
    args,
    method: flags.method,
    file: flags.file,
    body: flags.body,
    stdin: io.stdin,
    options,
    warn: (text) => output.log(text),
  });
  // Before any socket is opened: a missing parameter costs no request and no thread.
  // Typed by these run time checks, not by the compiler: it comes from the command line.
  const valid = uncheckedTask(
    validateTask(task, { allowUnknownMethods: tuning.allowUnknownMethods === true }),
  );
  const session = await openSession(settings, output, tuning);
  const unsubscribe = output.quiet ? () => undefined : showProgress(session.solver, output);
  const interrupt = interruptSignal(io);
  try {
    const options: SolveOptions = { signal: interrupt.signal };
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    const result = await session.solver.solve(valid, options);
    const { taskId, solution, extra, elapsedMs } = result;
    // Fields named one by one: whatever else a result may carry later is not printed unasked.
    if (flags.json === true) output.result(JSON.stringify({ taskId, solution, extra, elapsedMs }));
    else output.result(typeof solution === 'string' ? solution : JSON.stringify(solution));
  } finally {
    interrupt.dispose();
    unsubscribe();
    await session.close();
  }
}

function solverTuning(flags: SolveFlags): SolverTuning {
  const tuning: SolverTuning = {};
  const pollIntervalMs = parseOptionalNumber('--poll-interval', flags.pollInterval, POLL_INTERVAL);
  if (pollIntervalMs !== undefined) tuning.pollIntervalMs = pollIntervalMs;
  const firstPoll = parseOptionalNumber('--first-poll-delay', flags.firstPollDelay, { min: 0 });
  if (firstPoll !== undefined)
    tuning.firstPollDelayMs = { image: firstPoll, token: firstPoll, challenge: firstPoll };
  const maxAttempts = parseOptionalNumber('--max-attempts', flags.maxAttempts, {
    integer: true,
    positive: true,
  });
  if (maxAttempts !== undefined) tuning.maxTransientAttempts = maxAttempts;
  if (flags.allowUnknownMethod === true) tuning.allowUnknownMethods = true;
  return tuning;
}
