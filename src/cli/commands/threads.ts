import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { interruptSignal, type CliContext } from '../context.js';
import { addGlobalOptions, resolveGlobalOptions, type GlobalFlags } from '../global-options.js';
import { openSession } from '../session.js';

interface ThreadsFlags extends GlobalFlags {
  json?: boolean;
}

export function registerThreads(program: Command, ctx: CliContext): void {
  const command = program
    .command('threads')
    .description('print the threads in use and free, where the service answers threadsinfo')
    .option('--json', 'print {threads, working, free} as JSON');
  addGlobalOptions(command).action(async (flags: ThreadsFlags) => {
    const settings = resolveGlobalOptions(flags, ctx.io.env);
    ctx.profile = settings.profile;
    const session = await openSession(settings, ctx.output);
    const interrupt = interruptSignal(ctx.io);
    try {
      const info = await session.solver.threads({ signal: interrupt.signal });
      if (info === undefined) {
        // Not an error of the account or the command line: this service just does not say.
        ctx.output.error(
          'THREADS_UNSUPPORTED',
          'the service does not answer action=threadsinfo, so the thread count is unknown',
        );
        ctx.exitCode = EXIT.taskFailed;
        return;
      }
      const { threads, working, free } = info;
      if (flags.json === true) ctx.output.result(JSON.stringify({ threads, working, free }));
      else ctx.output.result(`threads: ${threads}, working: ${working}, free: ${free}`);
    } finally {
      interrupt.dispose();
      await session.close();
    }
  });
}
