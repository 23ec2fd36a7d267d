import { EXIT } from './exit-codes.js';

/**
 * A reader that stops early (`captchaai --help | head -1`) closes the pipe under stdout. A C
 * program dies of SIGPIPE at its next write; Node ignores SIGPIPE, so the write fails with EPIPE
 * instead, and that arrives as an 'error' event that crashes the process with a stack trace when
 * nobody listens. Listening here turns it into a signal the commands can follow like any other
 * stop request, and into the exit code a shell user expects.
 *
 * Returns the signal that aborts, with the error as its reason, once stdout can take no more.
 */
export function watchForClosedPipes(
  stdout: NodeJS.EventEmitter,
  stderr: NodeJS.EventEmitter,
): AbortSignal {
  const stdoutClosed = new AbortController();
  // Any error leaves the stream destroyed: nothing more can be delivered, whatever the errno.
  stdout.on('error', (error: unknown) => stdoutClosed.abort(error));
  // Progress and log lines nobody reads any more are dropped: the results on stdout still matter.
  stderr.on('error', () => undefined);
  return stdoutClosed.signal;
}

/** The write failed because the reader is gone (as opposed to, say, a full disk). */
export function isBrokenPipe(error: unknown): boolean {
  return (error as { code?: unknown } | null | undefined)?.code === 'EPIPE';
}

/**
 * The process's exit code once the command is over. A command that succeeded although its reader
 * left exits 141, as shells report a death by SIGPIPE: what `seq 1 1000000 | head -1` or
 * `git log -p | head -1` give, so a `set -o pipefail` script sees the same from us as from
 * them, and a caller can tell "printed everything" (0) from "the reader left first". A command
 * that failed on its own keeps its code: it says more than the closed pipe does. Another stdout
 * error (EIO, ENOSPC) is not the reader's choice: it is reported as a failure.
 */
export function exitCodeAfterOutput(
  code: number,
  stdoutClosed: AbortSignal,
  reportError: (message: string) => void,
): number {
  if (!stdoutClosed.aborted || code !== EXIT.ok) return code;
  if (isBrokenPipe(stdoutClosed.reason)) return EXIT.closedPipe;
  const reason: unknown = stdoutClosed.reason;
  reportError(reason instanceof Error ? reason.message : String(reason));
  return EXIT.taskFailed;
}
