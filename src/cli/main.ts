// The CLI's entry point: wires the real process into runCli and ends the process with its code.
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  onInterrupt(listener) {
    const onSigint = (): void => listener('SIGINT');
    const onSigterm = (): void => listener('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    return () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    };
  },
});

// Exit explicitly once both streams have drained: a keep-alive socket or a timer left behind by
// a dependency must not keep a finished command alive, and exiting earlier could cut off output
// on platforms where pipes are asynchronous.
await Promise.all([drain(process.stdout), drain(process.stderr)]);
process.exit(code);

function drain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
