import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * The whole input file's size and SHA-256, as `bytes:hex`: a journal bound to it refuses a file
 * changed anywhere, also past the lines it has read so far (a changed tail would otherwise be
 * taken for the same batch). About 0.3 s for 100 MB.
 */
export async function inputDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return `${bytes}:${hash.digest('hex')}`;
}

/** `12,345 bytes, sha256 3f2a9c01…` for messages. */
export function describeDigest(digest: string): string {
  const [bytes, hex] = digest.split(':');
  return `${Number(bytes).toLocaleString('en-US')} bytes, sha256 ${(hex ?? '').slice(0, 8)}…`;
}
