import type { Command } from 'commander';
import { interruptSignal, type CliContext } from '../context.js';
import { parseChoice } from '../flag-values.js';
import { addGlobalOptions, resolveGlobalOptions, type GlobalFlags } from '../global-options.js';
import { openSession } from '../session.js';
import { UsageError } from '../usage-error.js';

const VERDICTS = ['good', 'bad'] as const;

export function registerReport(program: Command, ctx: CliContext): void {
  const command = program
    .command('report')
    .description("report a solved task's answer as good or bad")
    .argument('<verdict>', 'good or bad')
    .argument('<id>', 'the task id (digits)');
  addGlobalOptions(command).action(async (rawVerdict: string, id: string, flags: GlobalFlags) => {
    const verdict = parseChoice('verdict', rawVerdict, VERDICTS);
    if (!/^\d+$/.test(id))
      throw new UsageError('id', `the task id must be digits only, got ${JSON.stringify(id)}`);
    const settings = resolveGlobalOptions(flags, ctx.io.env);
    ctx.profile = settings.profile;
    const session = await openSession(settings, ctx.output);
    const interrupt = interruptSignal(ctx.io);
    try {
      await session.solver.report(id, verdict, { signal: interrupt.signal });
      // Nothing on stdout: there is no answer, only the exit code.
      ctx.output.log(`reported task ${id} as ${verdict}`);
    } finally {
      interrupt.dispose();
      await session.close();
    }
  });
}
