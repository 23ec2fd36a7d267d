import type { ServiceProfile } from '../solver/types.js';
import type { CliIO, Output } from './output.js';

/** What every command gets: the streams, the output printer, and where to leave its outcome. */
export interface CliContext {
  io: CliIO;
  output: Output;
  /** Set by a command once its flags are resolved, so that an error is classified for that service. */
  profile: ServiceProfile;
  /** A command that fails without throwing (threads on a service without threadsinfo) sets this. */
  exitCode: number;
}

/** An AbortSignal that fires on Ctrl-C or SIGTERM, with the function that stops listening. */
export function interruptSignal(io: CliIO): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const dispose = io.onInterrupt((name) => controller.abort(new Error(`interrupted by ${name}`)));
  return { signal: controller.signal, dispose };
}
