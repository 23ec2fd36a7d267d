// Writes a large or endless body as fast as the reader takes it, never faster: the test servers'
// way to send what no client should hold whole.
import type { Writable } from 'node:stream';

/**
 * Writes `chunk` to `out` again and again, `bytes` in all (the last piece cut to fit; without end
 * when Infinity), waiting for 'drain' whenever the reader falls behind; ends `out` after a finite
 * body when `end` is set. Stops once `out` is destroyed (the client gave up).
 */
export function pumpBody(
  out: Writable,
  chunk: Buffer,
  bytes = Number.POSITIVE_INFINITY,
  end = false,
): void {
  let left = bytes;
  const pump = (): void => {
    while (!out.destroyed && left > 0) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      if (!out.write(part)) return;
    }
    if (left === 0 && end) out.end();
  };
  out.on('drain', pump);
  pump();
}
