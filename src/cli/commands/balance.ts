import type { Command } from 'commander';
import { interruptSignal, type CliContext } from '../context.js';
import { addGlobalOptions, resolveGlobalOptions, type GlobalFlags } from '../global-options.js';
import { openSession } from '../session.js';

export function registerBalance(program: Command, ctx: CliContext): void {
  const command = program
    .command('balance')
    .description('print the account balance (CaptchaAI: account credit in USD)');
  addGlobalOptions(command).action(async (flags: GlobalFlags) => {
    const settings = resolveGlobalOptions(flags, ctx.io.env);
    ctx.profile = settings.profile;
    const session = await openSession(settings, ctx.output);
    const interrupt = interruptSignal(ctx.io);
    try {
      const balance = await session.solver.balance({ signal: interrupt.signal });
      ctx.output.result(String(balance));
    } finally {
      interrupt.dispose();
      await session.close();
    }
  });
}
