// The CLI's entry point: wires the real process into runCli and ends the process with its code.
import { exitCodeAfterOutput, watchForClosedPipes } from './closed-pipe.js';
import { runCli } from './program.js';

// Before anything is written: `--help | head -1` can close stdout under the very first write.
const stdoutClosed = watchForClosedPipes(process.stdout, process.stderr);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  stdoutClosed,
  onInterrupt(listener) {
    const onSigint = (): void => listener('SIGINT');
    const onSigterm = (): void => listener('SIGTERM');
    // A closed stdout is a stop request like SIGTERM, under the name of the signal a C program
    // would have died of: a batch stops submitting and keeps what is in flight in its journal.
    const onSigpipe = (): void => listener('SIGPIPE');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    stdoutClosed.addEventListener('abort', onSigpipe);
    return () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      stdoutClosed.removeEventListener('abort', onSigpipe);
    };
  },
});

// Exit explicitly once both streams have drained: a keep-alive socket or a timer left behind by
// a dependency must not keep a finished command alive, and exiting earlier could cut off output
// on platforms where pipes are asynchronous.
await Promise.all([drain(process.stdout), drain(process.stderr)]);
process.exit(
  exitCodeAfterOutput(code, stdoutClosed, (message) =>
    process.stderr.write(`error: STDOUT_FAILED: ${message}\n`),
  ),
);

function drain(stream: NodeJS.WriteStream): Promise<void> {
  // A closed stream calls back with its error: there is nothing left to wait for then either.
  return new Promise((resolve) => stream.write('', () => resolve()));
}
