// The input's line rule: the reader (what the run reads) and the counter (the progress total)
// must see the same lines, whatever the line breaks and however the bytes arrive in chunks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { countInputLines, readInputFile, readInputLines, type InputLine } from './line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-lines-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function collect(lines: AsyncIterable<InputLine>): Promise<InputLine[]> {
  const out: InputLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** A stream that yields `bytes` in the given chunks (cut at each offset of `cuts`). */
function chunked(bytes: Buffer, cuts: readonly number[]): Readable {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(at, cut));
    at = cut;
  }
  return Readable.from(chunks, { objectMode: true });
}

/**
 * The lines of `bytes` from a file (reader and counter), one byte at a time and split at every
 * offset: all must be the same lines, and the count their number.
 */
async function linesOf(bytes: Buffer): Promise<InputLine[]> {
  const path = join(dir, `input-${++files}.jsonl`);
  writeFileSync(path, bytes);
  const lines = await collect(readInputFile(path));
  assert.equal(await countInputLines(path), lines.length, 'the counter counts the lines read');
  const singles = Array.from({ length: bytes.length }, (_, i) => i + 1).slice(0, -1);
  assert.deepEqual(await collect(readInputLines(chunked(bytes, singles))), lines, 'byte chunks');
  for (let cut = 0; cut <= bytes.length; cut++) {
    const split = await collect(readInputLines(chunked(bytes, [cut])));
    assert.deepEqual(split, lines, `chunks cut at byte ${cut}`);
  }
  return lines;
}

describe('readInputLines and countInputLines', () => {
  test('a UTF-8 BOM at the start of the input is dropped; anywhere else it stays', async () => {
    const lines = await linesOf(Buffer.from('\uFEFF{"a":1}\n\uFEFF{"b":2}\n', 'utf8'));
    assert.deepEqual(lines, [
      { lineNo: 1, text: '{"a":1}' },
      { lineNo: 2, text: '\uFEFF{"b":2}' },
    ]);
    // A BOM then blank space is a blank line, for the counter too.
    assert.deepEqual(await linesOf(Buffer.from('\uFEFF  \n{"a":1}', 'utf8')), [
      { lineNo: 2, text: '{"a":1}' },
    ]);
    assert.deepEqual(await linesOf(Buffer.from('\uFEFF', 'utf8')), []);
  });

  test('LF, CRLF and a bare CR each end one line; reader and counter agree', async () => {
    const lines = await linesOf(Buffer.from('a\nb\r\nc\rd\r\re\n\r\n \t\rf', 'utf8'));
    assert.deepEqual(lines, [
      { lineNo: 1, text: 'a' },
      { lineNo: 2, text: 'b' },
      { lineNo: 3, text: 'c' },
      { lineNo: 4, text: 'd' },
      { lineNo: 6, text: 'e' },
      { lineNo: 9, text: 'f' },
    ]);
    // Three physical lines with bare CRs: three lines, not six (the bug this rule fixes).
    assert.equal((await linesOf(Buffer.from('{"x":1}\r{"x":2}\r{"x":3}\r'))).length, 3);
    assert.deepEqual(await linesOf(Buffer.from('\r\n\n\r \r\n')), []);
  });

  test('a CRLF split across two chunks of the file stream is one line break', async () => {
    // createReadStream reads 64 KiB chunks: the CR ends the first, the LF starts the second.
    const first = `{"pad":"${'x'.repeat(65_536 - 11)}"}\r`;
    assert.equal(Buffer.byteLength(first), 65_536);
    const path = join(dir, 'straddle.jsonl');
    writeFileSync(path, `${first}\n{"b":2}\r{"c":3}\r\n\r\n{"d":4}\n`);
    const lines = await collect(readInputFile(path));
    assert.deepEqual(
      lines.map((l) => l.lineNo),
      [1, 2, 3, 5],
    );
    assert.equal(lines[1]?.text, '{"b":2}');
    assert.equal(await countInputLines(path), 4);
  });

  test('a line that is not valid UTF-8 is marked, the others are read as they are', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"p":"caf\u00e9"}\n{"p":"', 'utf8'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}\n{"p":"\u20ac"}', 'utf8'),
    ]);
    const lines = await linesOf(bytes);
    assert.deepEqual(lines, [
      { lineNo: 1, text: '{"p":"caf\u00e9"}' },
      { lineNo: 2, text: '{"p":"\uFFFD\uFFFD"}', notUtf8: true },
      { lineNo: 3, text: '{"p":"\u20ac"}' },
    ]);
  });

  test('a long line over many chunks ended by a bare CR, a last line without a break', async () => {
    const long = `{"p":"${'\u00e9'.repeat(100_000)}"}`;
    const path = join(dir, 'long.jsonl');
    writeFileSync(path, `\n  \n${long}\r\t\r{"b":2}`);
    const lines = await collect(readInputFile(path));
    assert.deepEqual(
      lines.map((l) => [l.lineNo, l.text.length]),
      [
        [3, long.length],
        [5, 7],
      ],
    );
    assert.equal(lines[0]?.text, long);
    assert.equal(await countInputLines(path), 2);
  });
});
