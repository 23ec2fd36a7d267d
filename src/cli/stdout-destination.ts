import { fstatSync } from 'node:fs';

/**
 * Whether stdout feeds another program (a pipe or a socket), as in `captchaai batch ... | tee`.
 * That program may print our results on the very terminal our stderr draws on, at moments we do
 * not control, so a bar redrawn in place there would be torn by its lines. A regular file or a
 * terminal is not such a reader: a file shows nothing, and a shared terminal is written through
 * our own screen writer.
 */
export function stdoutFeedsAnotherProgram(stdout: { fd?: number }): boolean {
  if (typeof stdout.fd !== 'number') return false;
  try {
    const stat = fstatSync(stdout.fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    // A descriptor that cannot be inspected says nothing either way: keep the default.
    return false;
  }
}
