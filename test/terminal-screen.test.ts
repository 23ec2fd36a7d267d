// The README's first command on a real terminal (stdout and stderr both the tmux pane): what a
// person sees once it ends, or once Ctrl-C interrupts it. The bytes alone cannot show this: a
// result glued to a bar line, or a summary drawn over earlier lines, is a matter of where the
// cursor was when each byte arrived.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { childEnv, PROJECT_ROOT } from './helpers/cli.js';
import { TerminalSession, tmuxInstalled } from './helpers/tmux.js';

const NO_TMUX = tmuxInstalled() ? false : 'tmux is not installed: no pseudo-terminal to read';
/** Any glyph the progress bar draws. */
const BAR_GLYPHS = /[█░]/;
const EXAMPLE = readFileSync(join(PROJECT_ROOT, 'examples/tasks.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** `captchaai batch TASKS --sim` on the first `lines` tasks of the example, on a 120x40 pane. */
function startBatch(
  t: TestContext,
  lines: number,
  flags: string[] = [],
  dir = mkdtempSync(join(tmpdir(), 'captchaai-screen-')),
): TerminalSession {
  const tasks = join(dir, 'tasks.jsonl');
  writeFileSync(tasks, `${EXAMPLE.slice(0, lines).join('\n')}\n`);
  const session = new TerminalSession(
    [
      `'${process.execPath}'`,
      '--import tsx src/cli/main.ts batch',
      `'${tasks}'`,
      '--sim',
      ...flags,
    ].join(' '),
    { cwd: PROJECT_ROOT, workDir: dir, env: childEnv() },
  );
  t.after(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return session;
}

/**
 * A finished batch of `lines` lines: `results` whole result lines on the screen, the summary, and
 * no bar left over.
 */
function assertFinishedScreen(screen: string[], lines: number, results: number): void {
  const shown = `the screen:\n${screen.join('\n')}`;
  assert.equal(resultLines(screen).length, results, shown);
  const summary = new RegExp(`^batch: ${lines} lines read; `);
  assert.ok(
    screen.some((line) => summary.test(line)),
    shown,
  );
  assert.deepEqual(
    screen.filter((line) => BAR_GLYPHS.test(line)),
    [],
    shown,
  );
}

/** The lines that hold a result (anything JSON-looking), each checked to be one whole result. */
function resultLines(screen: string[]): unknown[] {
  return screen
    .filter((line) => line.includes('{"id"'))
    .map((line) => {
      assert.ok(!BAR_GLYPHS.test(line), `a result shares its line with the bar: ${line}`);
      assert.ok(line.startsWith('{'), `a result does not start its line: ${line}`);
      try {
        return JSON.parse(line) as unknown;
      } catch {
        assert.fail(`a result line is not one JSON object: ${line}`);
      }
    });
}

test(
  'a batch on a terminal: each result on its own line, the summary intact, no bar left over',
  { skip: NO_TMUX, timeout: 90_000 },
  async (t) => {
    const session = startBatch(t, 12);
    assert.equal(await session.exitCode(), 0);
    const screen = session.screen();
    const shown = `the screen:\n${screen.join('\n')}`;

    assert.equal(resultLines(screen).length, 12, shown);
    const summaryAt = screen.findIndex((line) =>
      /^batch: 12 lines read; \d+ ok, \d+ failed/.test(line),
    );
    assert.ok(summaryAt >= 0, `no intact summary line\n${shown}`);
    assert.match(screen[summaryAt + 1] ?? '', /^throughput: [\d.]+ results\/s over /, shown);
    assert.match(
      screen[summaryAt + 2] ?? '',
      /^waiting: .* per task from start to accepted submit/,
      shown,
    );
    assert.ok(
      screen
        .slice(summaryAt)
        .some((line) => /^done: every line has a result \(journal .*\)$/.test(line)),
      `no intact end line\n${shown}`,
    );
    // The bar is gone once the run ends: none of its frames stays in the scrollback.
    const leftover = screen.filter((line) => BAR_GLYPHS.test(line));
    assert.deepEqual(leftover, [], shown);
  },
);

test(
  'Ctrl-C on a terminal: the interrupt message stands on its own line',
  { skip: NO_TMUX, timeout: 90_000 },
  async (t) => {
    // Slowed down, so the run is still going when the key arrives.
    const session = startBatch(t, EXAMPLE.length, ['--sim-speed', '4']);
    await session.waitForScreen((lines) => lines.some((line) => /in flight [1-9]/.test(line)));
    session.sendKeys('C-c');
    assert.equal(await session.exitCode(), 130);
    const screen = session.screen();
    const shown = `the screen:\n${screen.join('\n')}`;

    assert.ok(
      screen.some((line) =>
        /^batch: SIGINT: no new submits; collecting the tasks in flight for up to [\dms ]+ \(interrupt again to stop at once\)$/.test(
          line,
        ),
      ),
      `no intact interrupt message\n${shown}`,
    );
    resultLines(screen);
    assert.ok(
      screen.some((line) => /^interrupted: .*run the same command again to continue/.test(line)),
      shown,
    );
    assert.deepEqual(
      screen.filter((line) => BAR_GLYPHS.test(line)),
      [],
      shown,
    );
  },
);

test(
  'stdout to a file, stderr on a terminal: the file holds only results, the bar stays on the screen',
  { skip: NO_TMUX, timeout: 90_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'captchaai-screen-'));
    const out = join(dir, 'out.jsonl');
    const session = startBatch(t, 12, [`> '${out}'`], dir);
    assert.equal(await session.exitCode(), 0);
    const written = readFileSync(out, 'utf8');
    assert.ok(!written.includes('\u001b'), 'terminal control sequences in the results file');
    assert.doesNotMatch(written, BAR_GLYPHS, 'bar text in the results file');
    assert.equal(
      written
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown).length,
      12,
    );
    assertFinishedScreen(session.screen(), 12, 0);
  },
);

test(
  'stdout piped to another program on the same terminal: plain progress lines, no bar torn by results',
  { skip: NO_TMUX, timeout: 90_000 },
  async (t) => {
    // `cat` prints each result on the pane whenever it reads one, wherever the cursor is then.
    const session = startBatch(t, 12, ['| cat']);
    assert.equal(await session.exitCode(), 0);
    assertFinishedScreen(session.screen(), 12, 12);
  },
);

test(
  'stdout redirected to a file, stderr on a terminal: the bar is drawn while the batch runs',
  { skip: NO_TMUX, timeout: 90_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'captchaai-screen-'));
    // Slowed down, so the bar is on the screen long enough to be seen.
    const session = startBatch(t, 12, ['--sim-speed', '4', `> '${join(dir, 'out.jsonl')}'`], dir);
    await session.waitForScreen((lines) => lines.some((line) => BAR_GLYPHS.test(line)));
    assert.equal(await session.exitCode(), 0);
  },
);
