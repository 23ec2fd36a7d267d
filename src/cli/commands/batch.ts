import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { BatchRunner, type BatchOutcome } from '../../batch/batch-runner.js';
import { openBatchSession } from '../../batch/batch-session.js';
import { InputChangedError } from '../../batch/input-check.js';
import { Interrupts } from '../../batch/interrupts.js';
import type { JournalStore } from '../../batch/journal-store.js';
import { formatDuration } from '../../batch/format.js';
import { countInputLines, readInputFile, readInputLines } from '../../batch/line-reader.js';
import { reconcileOutput } from '../../batch/output-reconcile.js';
import { FileSink, StreamSink, type OutputSink } from '../../batch/output-sink.js';
import { startProgress, type ProgressMode } from '../../batch/progress.js';
import { prepareJournal, ServiceChangedError } from '../../batch/prepare-journal.js';
import { JournalOpenError } from '../../batch/sqlite-journal-store.js';
import { summaryLines } from '../../batch/summary.js';
import { parseWindow, type DailyWindow } from '../../batch/window.js';
import { systemClock } from '../../time/clock.js';
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
import { TerminalScreen } from '../terminal-screen.js';
import { UsageError } from '../usage-error.js';

interface BatchFlags extends GlobalFlags, FlowFlags {
  out?: string;
  journal?: string;
  resubmitAmbiguous?: boolean;
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

Ctrl-C once: stop submitting, collect the tasks in flight (up to --drain-timeout), exit 130.
Ctrl-C twice: exit at once; a rerun collects what was in flight.
Exit codes: 0 every line has a result, 1 lines left pending (service errors), 2 usage or a journal
that belongs to other input, 3 account error (bad key, no threads, banned), 130 interrupted,
141 stdout closed by its reader (| head): stopped as on Ctrl-C; a rerun prints what it missed.`;

export function registerBatch(program: Command, ctx: CliContext): void {
  const command = program
    .command('batch')
    .description('solve every task of a JSONL file (or - for stdin), resumably')
    .argument('<tasks>', 'JSONL file of tasks, or - for stdin (then --journal is required)')
    .option('--out <file>', 'append results to this file (fsynced) instead of stdout')
    .option('--journal <file>', 'journal file (default: TASKS.journal.sqlite)')
    .option(
      '--resubmit-ambiguous',
      'resubmit a task whose submit answer was lost (may duplicate it)',
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
  const journal = await openJournal(batch.journalPath, sync, settings, tasks);
  const closers: Array<() => unknown> = [() => journal.close()];
  try {
    const mode = progressMode(flags, io.stderr);
    // A bar shares the terminal with every other line: all of them go through one writer.
    const screen = mode === 'bar' ? new TerminalScreen(io.stdout, io.stderr) : undefined;
    const streams = screen?.streams ?? io;
    output.writeThrough(streams);
    const sink: OutputSink =
      flags.out === undefined ? new StreamSink(streams.stdout) : new FileSink(flags.out);
    closers.push(() => sink.close());
    const reconciled = reconcileOutput(journal, sink, systemClock.now());
    if (reconciled.note) output.log(`batch: ${reconciled.note}`);
    const service = await openBatchSession({ ...settings, flow });
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
      resubmitAmbiguous: flags.resubmitAmbiguous === true,
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
      return outcome.stats.unresolved > 0 ? EXIT.taskFailed : EXIT.ok;
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
      ctx.output.error(typeof code === 'string' ? code : 'BATCH_FAILED', message);
      return EXIT.taskFailed;
  }
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

/** The journal for this run, or a usage error saying why it belongs to another run. */
async function openJournal(
  path: string,
  synchronous: 'normal' | 'full',
  settings: GlobalSettings,
  tasks: string,
): Promise<JournalStore> {
  const service = settings.sim ? 'the embedded simulator' : settings.baseUrl;
  try {
    return await prepareJournal({ path, synchronous, service, tasks });
  } catch (error) {
    if (error instanceof JournalOpenError) throw new UsageError('--journal', error.message);
    if (error instanceof ServiceChangedError) throw new UsageError('--base-url', error.message);
    if (error instanceof InputChangedError) throw new UsageError('tasks', error.message);
    throw error;
  }
}

function progressMode(flags: BatchFlags, stderr: unknown): ProgressMode {
  if (flags.quiet === true) return 'none';
  return (stderr as { isTTY?: boolean }).isTTY === true ? 'bar' : 'lines';
}
