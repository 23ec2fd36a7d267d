import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { serviceName } from '../../transport/base-url.js';
import { BatchRunner, type BatchOutcome } from '../../batch/batch-runner.js';
import { openBatchSession } from '../../batch/batch-session.js';
import { InputChangedError } from '../../batch/input-check.js';
import { Interrupts } from '../../batch/interrupts.js';
import { formatDuration } from '../../batch/format.js';
import { countInputLines, readInputFile, readInputLines } from '../../batch/line-reader.js';
import { reconcileOutput, UnknownResultsError } from '../../batch/output-reconcile.js';
import { replayResults } from '../../batch/replay.js';
import { FileSink, StreamSink, type OutputSink } from '../../batch/output-sink.js';
import { startProgress, type ProgressMode } from '../../batch/progress.js';
import { accountFingerprint } from '../../batch/account-fingerprint.js';
import type { JournalStore } from '../../batch/journal-store.js';
import {
  AccountChangedError,
  EMBEDDED_SIMULATOR,
  prepareJournal,
  ServiceChangedError,
  type PreparedJournal,
} from '../../batch/prepare-journal.js';
import { JournalOpenError } from '../../batch/journal-open-error.js';
import { summaryLines } from '../../batch/summary.js';
import { parseWindow, type DailyWindow } from '../../batch/window.js';
import { systemClock } from '../../time/clock.js';
import { openCliLog } from '../cli-log.js';
import { isBrokenPipe } from '../closed-pipe.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parseChoice, parseNumberFlag } from '../flag-values.js';
import { tuneHeapForLongRuns } from '../heap-tuning.js';
import { addFlowOptions, resolveFlowOptions, type FlowFlags } from '../flow-options.js';
import {
  addGlobalOptions,
  resolveGlobalOptions,
  type GlobalFlags,
  type GlobalSettings,
} from '../global-options.js';
import { stdoutFeedsAnotherProgram } from '../stdout-destination.js';
import { TerminalScreen } from '../terminal-screen.js';
import { UsageError } from '../usage-error.js';

interface BatchFlags extends GlobalFlags, FlowFlags {
  out?: string;
  append?: boolean;
  replay?: boolean;
  journal?: string;
  resubmitAmbiguous?: boolean;
  allowUnknownMethod?: boolean;
  retryUnsolvable: string;
  window?: string;
  drainTimeout: string;
  journalSync: string;
  quiet?: boolean;
}

const HELP = `
Each line of TASKS is one task in the API's own parameter names, with an optional "id":
  {"id":"login-1","method":"userrecaptcha","googlekey":"6Le-...","pageurl":"https://example.com"}
Each result is one line on stdout (or --out), in completion order:
  {"id":"login-1","status":"ok","solution":"03AG...","taskId":"2122988149","elapsedMs":17250}
  {"id":7,"status":"error","error":"INVALID_TASK","message":"line 7: ..."}

The journal (default TASKS.journal.sqlite) records each task before it is submitted, its task id
once accepted and its result before it is written: run the same command again after a crash or
Ctrl-C and it continues, without submitting an accepted task twice. With --out, no line gets two
results across runs; stdout cannot be checked after a crash (a line may repeat).

A submit whose answer was lost (a reset, a 502 page) may have created a task. On the captchaai
profile it is sent again (a duplicate costs a thread for a while); on 2captcha (a duplicate is
billed) the line is left in doubt: pending, no result, until a run with --resubmit-ambiguous
sends it again. A submit that surely never reached the service (connection refused, DNS failure,
HTTP 404) is simply retried later.

Ctrl-C once: stop submitting, collect the tasks in flight (up to --drain-timeout), exit 130.
Ctrl-C twice: exit at once; a rerun collects what was in flight.
Exit codes: 0 every line solved; 1 every line has a result, some are errors (invalid task,
unsolvable, timeout...); 4 some lines still pending after service errors or in doubt (the
summary names each cause and its lines; run again to finish them; 4 wins over 1); 2 usage or a journal that belongs
to other input; 3 account error (bad key, no threads, banned); 130 interrupted; 141 stdout closed
by its reader (| head): stopped as on Ctrl-C; a rerun prints what it missed. -q hides the summary,
not the exit code.`;

export function registerBatch(program: Command, ctx: CliContext): void {
  const command = program
    .command('batch')
    .description('solve every task of a JSONL file (or - for stdin), resumably')
    .argument('<tasks>', 'JSONL file of tasks, or - for stdin (then --journal is required)')
    .option('--out <file>', 'append results to this file (fsynced) instead of stdout')
    .option('--journal <file>', 'journal file (default: TASKS.journal.sqlite)')
    .option(
      '--append',
      'let a new journal append to an --out file that holds other results (refused otherwise)',
    )
    .option(
      '--replay',
      'print the results the journal has written to stdout again; nothing is sent, --out untouched',
    )
    .option(
      '--resubmit-ambiguous',
      'resubmit a task whose submit answer was lost (may duplicate it; default on captchaai)',
    )
    .option(
      '--no-resubmit-ambiguous',
      'leave such a task in doubt instead: pending, not sent again (default on 2captcha)',
    )
    .option(
      '--allow-unknown-method',
      'send a method this client does not know, checked only for a method and sendable parameters',
    )
    .option(
      '--retry-unsolvable <n>',
      'resubmit an ERROR_CAPTCHA_UNSOLVABLE task up to n times',
      '0',
    )
    .option(
      '--window <HH:MM-HH:MM>',
      'submit only inside this daily UTC window (may wrap midnight)',
    )
    .option(
      '--drain-timeout <ms>',
      'after Ctrl-C, how long to keep collecting tasks in flight',
      '60000',
    )
    .option(
      '--journal-sync <mode>',
      'normal (survives a crashed process) or full (also power loss)',
      'normal',
    )
    .option('-q, --quiet', 'print only results and errors: no progress, no summary')
    .addHelpText('after', HELP);
  addGlobalOptions(addFlowOptions(command)).action(async (tasks: string, flags: BatchFlags) => {
    ctx.exitCode = await runBatch(ctx, tasks, flags);
  });
}

interface BatchSettings {
  window: DailyWindow | undefined;
  retryUnsolvable: number;
  drainTimeoutMs: number;
  journalPath: string;
}

function resolveBatchFlags(tasks: string, flags: BatchFlags): BatchSettings {
  let window: DailyWindow | undefined;
  try {
    window = flags.window === undefined ? undefined : parseWindow(flags.window);
  } catch (error) {
    throw new UsageError('--window', `--window: ${(error as Error).message}`);
  }
  if (tasks === '-' && flags.journal === undefined) {
    throw new UsageError(
      '--journal',
      'reading tasks from stdin needs --journal <file>, to be able to resume',
    );
  }
  if (tasks !== '-' && !existsSync(tasks))
    throw new UsageError('tasks', `cannot read ${JSON.stringify(tasks)}: no such file`);
  if (tasks !== '-' && statSync(tasks).isDirectory())
    throw new UsageError('tasks', `tasks: ${JSON.stringify(tasks)} is a directory, not a file`);
  if (flags.out !== undefined && flags.replay !== true) checkOutPath(flags.out);
  return {
    window,
    retryUnsolvable: parseNumberFlag('--retry-unsolvable', flags.retryUnsolvable, {
      integer: true,
      min: 0,
    }),
    drainTimeoutMs: parseNumberFlag('--drain-timeout', flags.drainTimeout, { min: 0 }),
    journalPath: flags.journal ?? `${tasks}.journal.sqlite`,
  };
}

async function runBatch(ctx: CliContext, tasks: string, flags: BatchFlags): Promise<number> {
  const { io, output } = ctx;
  output.quiet = flags.quiet === true;
  const settings = resolveGlobalOptions(flags, io.env);
  ctx.profile = settings.profile;
  const flow = resolveFlowOptions(flags);
  const batch = resolveBatchFlags(tasks, flags);
  const sync = parseChoice('--journal-sync', flags.journalSync, ['normal', 'full'] as const);
  // A batch may run for hours with thousands of tasks out: keep garbage from piling up in RSS.
  tuneHeapForLongRuns(process.execArgv, io.env.NODE_OPTIONS ?? '');
  if (flags.replay === true && flags.out !== undefined) {
    throw new UsageError('--replay', '--replay prints to stdout; it never writes to --out again');
  }
  const { journal, requeued } = await openJournal(
    batch.journalPath,
    sync,
    settings,
    tasks,
    flags.replay !== true,
  );
  const closers: Array<() => unknown> = [() => journal.close()];
  try {
    if (flags.replay === true) return replay(journal, ctx, batch.journalPath);
    const mode = progressMode(flags, io.stdout, io.stderr);
    // A bar shares the terminal with every other line: all of them go through one writer.
    const screen = mode === 'bar' ? new TerminalScreen(io.stdout, io.stderr) : undefined;
    const streams = screen?.streams ?? io;
    output.writeThrough(streams);
    const sink: OutputSink =
      flags.out === undefined ? new StreamSink(streams.stdout) : openOutFile(flags.out);
    closers.push(() => sink.close());
    const reconciled = reconcileWithUsage(journal, sink, flags.append === true);
    if (reconciled.note) output.log(`batch: ${reconciled.note}`);
    if (requeued > 0) {
      output.log(
        `batch: the embedded simulator is new on every run and holds none of the last run's tasks: ${requeued} lines are submitted again`,
      );
    }
    const allowUnknownMethods = flags.allowUnknownMethod === true;
    const log = openCliLog(settings.log, output);
    closers.push(() => log.close());
    const service = await openBatchSession({
      ...settings,
      flow: { ...flow, allowUnknownMethods, ...log.solverOptions },
    });
    output.addSecret(service.key);
    if (settings.sim) {
      output.log(`using the embedded simulator (no API key needed; time x${settings.sim.speed})`);
    }
    closers.push(() => service.close());
    const interrupts = new Interrupts();
    closers.push(
      io.onInterrupt((name) => {
        interrupts.interrupt(name);
        if (interrupts.received > 1) return;
        output.log(
          `batch: ${name}: no new submits; collecting the tasks in flight for up to ${formatDuration(batch.drainTimeoutMs)} (interrupt again to stop at once)`,
        );
      }),
    );
    const runner = new BatchRunner({
      solver: service.batch.solver,
      gate: service.batch.gate,
      journal,
      sink,
      clock: service.clock,
      profile: settings.profile,
      // Unset: the profile decides (captchaai resubmits, 2captcha leaves the line in doubt).
      resubmitAmbiguous: flags.resubmitAmbiguous,
      allowUnknownMethods,
      retryUnsolvable: batch.retryUnsolvable,
      window: batch.window,
      drainTimeoutMs: batch.drainTimeoutMs,
      redact: (text) => output.redact(text),
      stop: interrupts.stop,
      kill: interrupts.kill,
    });
    let total: number | undefined;
    const counting = new AbortController();
    closers.push(() => counting.abort());
    if (tasks !== '-')
      countInputLines(tasks, counting.signal).then(
        (n) => (total = n),
        () => undefined,
      );
    const started = systemClock.now();
    const stopProgress = startProgress(
      mode,
      {
        stats: runner.stats,
        control: runner.control,
        flow: () => service.batch.solver.flow,
        total: () => total,
        runClock: service.clock,
        types: () => service.batch.solver.types(),
      },
      {
        clock: systemClock,
        stream: io.stderr as NodeJS.WritableStream,
        openBar: screen && (() => screen.openBar()),
      },
    );
    closers.push(stopProgress);
    const outcome = await runner.run(
      tasks === '-' ? readInputLines(io.stdin) : readInputFile(tasks),
    );
    stopProgress();
    if (!output.quiet) {
      const lines = summaryLines({
        outcome,
        elapsedMs: systemClock.now() - started,
        journalPath: batch.journalPath,
        limit: service.batch.solver.flow.limit,
        clockSpeed: settings.sim?.speed ?? 1,
        service: service.counts?.(),
        capacity: runner.capacity,
      });
      for (const line of lines) output.log(line);
    }
    if (io.stdoutClosed?.aborted === true)
      return closedStdoutExit(outcome, ctx, journal.counts().done, batch.journalPath);
    return exitCode(outcome, ctx);
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

function exitCode(outcome: BatchOutcome, ctx: CliContext): number {
  const { error } = outcome;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (outcome.reason) {
    case 'complete':
      return completeExit(outcome);
    case 'interrupted':
    case 'killed':
      return EXIT.interrupted;
    case 'fatal-account':
      ctx.output.error(
        typeof code === 'string' ? code : 'ACCOUNT',
        `${message}; stopped submitting: fix the key or the plan, then run the same command again`,
      );
      return EXIT.account;
    case 'input-changed':
      ctx.output.error('INPUT_CHANGED', message);
      return EXIT.usage;
    default:
      // The service kept failing, or a journal or output write did: the lines not done stay in
      // the journal for a rerun, as after an outage.
      ctx.output.error(typeof code === 'string' ? code : 'BATCH_FAILED', message);
      return EXIT.pending;
  }
}

/**
 * A run that read its whole input: 4 when lines are still pending (a rerun may finish them; this
 * wins, since the batch is not over; lines in doubt are pending too), else 1 when some line has an error result, in this run or
 * an earlier one on the same journal (a rerun with nothing left to do says what the batch came
 * to), else 0.
 */
function completeExit(outcome: BatchOutcome): number {
  const { stats, leftOpen, inputExhausted } = outcome;
  const pending =
    stats.pending > 0 || leftOpen.accepted > 0 || leftOpen.notStarted > 0 || !inputExhausted;
  if (pending) return EXIT.pending;
  return stats.failed > 0 || outcome.failedEarlier === true ? EXIT.taskFailed : EXIT.ok;
}

/**
 * stdout's reader left (`| head`): the run stopped as on a first Ctrl-C (main.ts calls it
 * SIGPIPE), collecting what was in flight into the journal. Even under -q the user learns that
 * results were not printed and how to get them: the journal holds them as decided but unwritten,
 * and a rerun prints them without solving them again. The exit code is a SIGPIPE death's, unless
 * something else stopped the run (an account error, a second Ctrl-C): that code says more.
 */
function closedStdoutExit(
  outcome: BatchOutcome,
  ctx: CliContext,
  unprinted: number,
  journalPath: string,
): number {
  ctx.output.error(
    'STDOUT_CLOSED',
    `stdout was closed before every result was printed; ${unprinted} results not printed and the lines not yet solved are kept in ${journalPath}: run the same command again (with --out FILE to keep every line) to get them`,
  );
  const stoppedByThePipe =
    outcome.reason === 'complete' ||
    outcome.reason === 'interrupted' ||
    // The failed write itself halts the run when it comes before the SIGPIPE stop.
    (outcome.reason === 'internal' && isBrokenPipe(outcome.error));
  return stoppedByThePipe ? EXIT.closedPipe : exitCode(outcome, ctx);
}

/**
 * Refuses an --out that cannot be appended to before anything is opened or sent: a directory, a
 * file or folder without write permission, a read-only file system, a missing folder.
 */
function checkOutPath(out: string): void {
  const path = resolve(out);
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
      accessSync(path, constants.W_OK);
    } else {
      const folder = dirname(path);
      if (!existsSync(folder)) throw Object.assign(new Error(), { code: 'ENOENT' });
      accessSync(folder, constants.W_OK);
    }
  } catch (error) {
    throw outPathError(out, error);
  }
}

/** Opens --out; what the checks above could not foresee is still a usage error naming it. */
function openOutFile(out: string): FileSink {
  try {
    return new FileSink(out);
  } catch (error) {
    throw outPathError(out, error);
  }
}

const PATH_PROBLEMS: Readonly<Record<string, string>> = Object.freeze({
  EISDIR: 'is a directory, not a file',
  EROFS: 'cannot be written: read-only file system',
  EACCES: 'cannot be written: permission denied',
  EPERM: 'cannot be written: operation not permitted',
  ENOENT: 'cannot be created: its folder does not exist',
  ENOTDIR: 'cannot be created: a part of its path is not a folder',
});

function outPathError(out: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const problem = code === undefined ? undefined : PATH_PROBLEMS[code];
  if (problem === undefined) return error;
  return new UsageError('--out', `--out: ${JSON.stringify(out)} ${problem}`);
}

/** Reconciles the output with the journal; results it cannot account for are a usage error. */
function reconcileWithUsage(
  journal: JournalStore,
  sink: OutputSink,
  append: boolean,
): ReturnType<typeof reconcileOutput> {
  try {
    return reconcileOutput(journal, sink, systemClock.now(), { append });
  } catch (error) {
    if (error instanceof UnknownResultsError) {
      throw new UsageError('--out', `--out: ${error.message} (or --append to accept that)`);
    }
    throw error;
  }
}

/** --replay: the journal's written results on stdout again, in line order; nothing is sent. */
function replay(journal: JournalStore, ctx: CliContext, path: string): number {
  const summary = replayResults(journal, (record) => ctx.io.stdout.write(`${record}\n`));
  const counts = journal.counts();
  const unwritten = Object.entries(counts)
    .filter(([state]) => state !== 'written')
    .reduce((sum, [, n]) => sum + n, 0);
  const rest =
    unwritten > 0
      ? `; ${unwritten} lines have no result yet: run without --replay to finish them`
      : '';
  ctx.output.log(
    `batch: replayed ${summary.printed} results from ${path} (${summary.errors} ${summary.errors === 1 ? 'error' : 'errors'})${rest}`,
  );
  if (unwritten > 0) return EXIT.pending;
  return summary.errors > 0 ? EXIT.taskFailed : EXIT.ok;
}

/** The journal for this run, or a usage error saying why it belongs to another run. */
async function openJournal(
  path: string,
  synchronous: 'normal' | 'full',
  settings: GlobalSettings,
  tasks: string,
  /** False for a run that only reads the journal (--replay): the journal is left as it is. */
  sends = true,
): Promise<PreparedJournal> {
  // The service's name, without the credentials its URL may carry.
  const service = settings.sim ? EMBEDDED_SIMULATOR : serviceName(settings.baseUrl);
  try {
    return await prepareJournal({
      path,
      synchronous,
      service,
      account: accountFingerprint(settings.key ?? EMBEDDED_SIMULATOR),
      serviceForgets: sends && settings.sim !== undefined,
      tasks,
      now: systemClock.now(),
    });
  } catch (error) {
    if (error instanceof JournalOpenError) throw new UsageError('--journal', error.message);
    if (error instanceof ServiceChangedError) throw new UsageError('--base-url', error.message);
    if (error instanceof AccountChangedError) throw new UsageError('--key', error.message);
    if (error instanceof InputChangedError) throw new UsageError('tasks', error.message);
    throw error;
  }
}

function progressMode(flags: BatchFlags, stdout: unknown, stderr: unknown): ProgressMode {
  if (flags.quiet === true) return 'none';
  if ((stderr as { isTTY?: boolean }).isTTY !== true) return 'lines';
  // The program reading our stdout may print on the bar's terminal: plain lines cannot be torn.
  return stdoutFeedsAnotherProgram(stdout as { fd?: number }) ? 'lines' : 'bar';
}
