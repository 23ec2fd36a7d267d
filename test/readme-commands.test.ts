// Every command line of the README's ```sh blocks runs as printed: through `sh -c`, with the
// installed `captchaai` command (bin/captchaai.js) first on PATH, against a `captchaai sim`
// started for the purpose instead of the real service. Placeholders (`...`, an example task id)
// are filled in from an explicit table; a line this test does not know how to run fails it, so a
// new README command cannot go untested.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ChildOutput, childEnv, PROJECT_ROOT } from './helpers/cli.js';
import { GOOGLEKEY, PAGE } from './helpers/fixtures.js';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const BIN = join(PROJECT_ROOT, 'bin', 'captchaai.js');
/** The test simulator's account key (32 characters, as the README's export line asks). */
const KEY = 'READMEKEY0123456789abcdefghijklm';
/**
 * A line that has not finished by then is killed and fails its test. The batch line takes 8 s
 * mostly, but 26-28 s when a solve line runs beside it: that solve's task shifts the simulator's
 * draws, and a task of a method seen once or twice that is not ready at its first poll is next
 * polled on the client's prior for that method (real solve times, 20 times the simulator's here).
 */
const LINE_TIMEOUT_MS = 45_000;

/** The heading of the block whose lines run as a fresh clone would: no CAPTCHAAI_* variable. */
const NO_KEY_BLOCK = '## The two commands';

/**
 * npm steps of a line that the suite leaves out (the rest of the line still runs), and why. Any
 * other npm command fails the test until it is added here.
 */
const NOT_RUN: ReadonlyMap<string, string> = new Map([
  // The suite already runs inside an installed and built checkout; CI runs `npm ci` itself.
  ['npm ci', 'installs and builds the package; CI runs it before the tests'],
  // This is the suite itself: running it from a test would recurse. CI runs it.
  ['npm test', 'runs this very suite; CI runs it'],
]);

/**
 * Lines that exit other than 0 when they work, and why: a batch of the example file (or its copy
 * tasks.jsonl) ends with one INVALID_TASK result, its line 15 broken on purpose, so it exits 1
 * (every line has a result, some are errors).
 */
function expectedExit(command: string): number {
  return /\bbatch (examples\/)?tasks\.jsonl\b/.test(command) ? 1 : 0;
}

/** Programs a README line may start (each part of a pipeline or `&&` chain). */
function knownProgram(part: string): boolean {
  const [program, first] = part.split(/\s+/);
  if (program === 'node') return first === 'bin/captchaai.js';
  return program === 'captchaai' || program === 'echo' || program === 'export';
}

/** Resolved by the README's first `captchaai solve ... --json` line with the id it printed. */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // read by the report line; its failure is the solve line's
  return { promise, resolve, reject };
}
const solvedTaskId = deferred<string>();
const TASK_ID_SOURCE = /^captchaai solve .*--json/;

/**
 * The README's placeholders, replaced wherever they occur. An entry no README line uses fails
 * the test (the table must not go stale), and so does a line still showing `...` once filled in.
 */
const PLACEHOLDERS: ReadonlyArray<{ text: string; value: () => string | Promise<string> }> = [
  // The reader's own 32-character key: here the test simulator's account key. (Each line runs in
  // its own shell, so the environment of every line carries CAPTCHAAI_KEY as well.)
  { text: 'export CAPTCHAAI_KEY=...', value: () => `export CAPTCHAAI_KEY=${KEY}` },
  // A Turnstile site key belongs to the page: the one examples/tasks.jsonl uses.
  { text: '--sitekey 0x4AAAAAAA...', value: () => '--sitekey 0x4AAAAAAAC3DHQFLr1GavRN' },
  // A reCAPTCHA site key: Google's public test key (the simulator checks the format).
  { text: '"googlekey":"..."', value: () => `"googlekey":"${GOOGLEKEY}"` },
  // The URL of the page the CAPTCHA is on.
  { text: '"pageurl":"..."', value: () => `"pageurl":"${PAGE}"` },
  // An id the reader's own solve printed: the one the README's `solve ... --json` line printed in
  // this run (the simulator knows no task 2122988149).
  {
    text: 'report good 2122988149',
    value: async () => {
      const id = await solvedTaskId.promise.catch((error: unknown) => {
        throw new Error('no task id: the `captchaai solve ... --json` line failed', {
          cause: error,
        });
      });
      return `report good ${id}`;
    },
  },
];

interface ReadmeLine {
  /** 1-based line number in README.md. */
  lineNo: number;
  text: string;
  /** The heading the block is under. */
  heading: string;
}

/** Every command line of every ```sh block (comments and blank lines are not commands). */
function shLines(): { lines: ReadmeLine[]; blocks: number } {
  const lines: ReadmeLine[] = [];
  let blocks = 0;
  let fence: 'sh' | 'other' | undefined;
  let heading = '';
  let pending: ReadmeLine | undefined;
  README.split('\n').forEach((raw, index) => {
    if (/^\s*```/.test(raw)) {
      if (fence === undefined) {
        fence = /^\s*```sh\s*$/.test(raw) ? 'sh' : 'other';
        if (fence === 'sh') blocks++;
      } else fence = undefined;
      return;
    }
    if (fence === undefined && /^#{1,6} /.test(raw)) heading = raw;
    if (fence !== 'sh') return;
    const line: ReadmeLine = pending
      ? { ...pending, text: `${pending.text} ${raw.trim()}` }
      : { lineNo: index + 1, text: raw.trim(), heading };
    pending = undefined;
    if (line.text.endsWith('\\')) pending = { ...line, text: line.text.slice(0, -1).trim() };
    else if (line.text !== '' && !line.text.startsWith('#')) lines.push(line);
  });
  return { lines, blocks };
}

/** A line's commands, split at unquoted `&&`, `||`, `|` and `;`, up to an unquoted comment. */
function splitCommands(line: string): { parts: string[]; operators: string[] } {
  const parts: string[] = [];
  const operators: string[] = [];
  let current = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote !== '') {
      current += c;
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') current += line.charAt(++i);
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') {
      current += c + line.charAt(++i);
      continue;
    } else if (c === '#' && (i === 0 || /\s/.test(line.charAt(i - 1)))) break;
    else {
      const operator = /^(?:&&|\|\||\||;)/.exec(line.slice(i))?.[0];
      if (operator) {
        parts.push(current.trim());
        operators.push(operator);
        current = '';
        i += operator.length - 1;
        continue;
      }
    }
    current += c;
  }
  parts.push(current.trim());
  return { parts, operators };
}

type Plan =
  | { kind: 'run'; command: string; notRun: string[] }
  | { kind: 'server'; command: string }
  | { kind: 'unknown'; reason: string };

/** How a README line is run; `unknown` fails its test. */
function planOf(text: string): Plan {
  const { parts, operators } = splitCommands(text);
  if (parts.includes('')) return { kind: 'unknown', reason: 'an empty command' };
  const npm = parts.filter((part) => /^npm(?:\s|$)/.test(part));
  const unlisted = npm.filter((part) => !NOT_RUN.has(part));
  if (unlisted.length > 0) {
    return { kind: 'unknown', reason: `npm steps not in NOT_RUN: ${unlisted.join(', ')}` };
  }
  if (npm.length > 0 && operators.some((operator) => operator !== '&&')) {
    return { kind: 'unknown', reason: 'an npm step is left out only from an `a && b` chain' };
  }
  const rest = parts.filter((part) => !npm.includes(part));
  const strange = rest.filter((part) => !knownProgram(part));
  if (strange.length > 0) {
    return { kind: 'unknown', reason: `no handler for ${strange.map((p) => `"${p}"`).join(', ')}` };
  }
  if (rest.some((part) => /^captchaai sim(?:\s|$)/.test(part))) {
    return rest.length === 1
      ? { kind: 'server', command: text }
      : { kind: 'unknown', reason: 'captchaai sim runs until stopped: give it a line of its own' };
  }
  // A line with no npm step runs exactly as printed (comment included); otherwise its other steps.
  return { kind: 'run', command: npm.length > 0 ? rest.join(' && ') : text, notRun: npm };
}

/** Replaces every placeholder of the table; no `...` may be left. */
async function fill(command: string): Promise<string> {
  let filled = command;
  for (const placeholder of PLACEHOLDERS) {
    if (filled.includes(placeholder.text)) {
      filled = filled.split(placeholder.text).join(await placeholder.value());
    }
  }
  return filled;
}

const { lines: LINES, blocks: BLOCKS } = shLines();

describe('the README sh blocks run as printed', { concurrency: 4 }, () => {
  let root = '';
  let workDir = '';
  let pathDir = '';
  let simulator: ChildProcessWithoutNullStreams | undefined;
  let simulatorOutput: ChildOutput | undefined;
  let baseUrl = '';
  const running = new Set<ChildProcessWithoutNullStreams>();

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'captchaai-readme-'));
    // `captchaai` on PATH is the installed command: bin/captchaai.js. `node` is this node.
    pathDir = join(root, 'path');
    mkdirSync(pathDir);
    writeFileSync(
      join(pathDir, 'captchaai'),
      `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`,
      { mode: 0o755 },
    );
    symlinkSync(process.execPath, join(pathDir, 'node'));
    // The working directory has what the README's relative paths name, like the repository root
    // (bin/, examples/) and a reader's directory (tasks.jsonl). examples/ is a directory of its own
    // with links to the repository's files, so batch journals (TASKS.journal.sqlite, next to the
    // input) are written here and each run starts afresh, never in the repository.
    workDir = join(root, 'work');
    mkdirSync(join(workDir, 'examples'), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'bin'), join(workDir, 'bin'));
    for (const name of readdirSync(join(PROJECT_ROOT, 'examples'))) {
      symlinkSync(join(PROJECT_ROOT, 'examples', name), join(workDir, 'examples', name));
    }
    copyFileSync(join(PROJECT_ROOT, 'examples', 'tasks.jsonl'), join(workDir, 'tasks.jsonl'));

    // The service the lines talk to: `captchaai sim` itself. 50 threads so the batch of 30 and
    // the solves running beside it never wait for one; solve times x0.05; no random
    // ERROR_CAPTCHA_UNSOLVABLE, which would fail a solve line by chance.
    simulator = spawn(
      process.execPath,
      [
        BIN,
        'sim',
        '--port',
        '0',
        '--key',
        KEY,
        '--time-scale',
        '0.05',
        '--threads',
        '50',
        '--unsolvable-rate',
        '0',
      ],
      { cwd: workDir, env: childEnv(), stdio: 'pipe' },
    );
    simulatorOutput = new ChildOutput(simulator);
    const exported = await simulatorOutput.waitFor(/^export CAPTCHAAI_BASE_URL=(\S+)$/m);
    baseUrl = exported[1] ?? '';
  });

  after(async () => {
    for (const child of running) killGroup(child, 'SIGKILL');
    if (simulator && simulatorOutput) {
      simulator.kill('SIGINT');
      await simulatorOutput.exit();
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function envFor(line: ReadmeLine): Record<string, string> {
    const path = { PATH: `${pathDir}${delimiter}${process.env.PATH ?? ''}` };
    if (line.heading === NO_KEY_BLOCK) return path;
    return { ...path, CAPTCHAAI_BASE_URL: baseUrl, CAPTCHAAI_KEY: KEY };
  }

  function killGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }

  /** `sh -c command` in its own process group (so the whole line can be stopped). */
  function sh(
    command: string,
    env: Record<string, string>,
  ): { output: ChildOutput; child: ChildProcessWithoutNullStreams } {
    const child = spawn('sh', ['-c', command], {
      cwd: workDir,
      env: childEnv(env),
      stdio: 'pipe',
      detached: true,
    });
    child.stdin.end();
    running.add(child);
    const output = new ChildOutput(child);
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), LINE_TIMEOUT_MS);
    void output.exit().then(() => {
      clearTimeout(timer);
      running.delete(child);
    });
    return { output, child };
  }

  test('the README has sh blocks, and every NOT_RUN step and placeholder is used', () => {
    assert.ok(BLOCKS >= 2, `README.md has ${BLOCKS} sh blocks`);
    assert.ok(LINES.length > 0, 'the sh blocks have command lines');
    const all = LINES.map((line) => line.text).join('\n');
    for (const placeholder of PLACEHOLDERS) {
      assert.ok(all.includes(placeholder.text), `no README line has ${placeholder.text}: drop it`);
    }
    const steps = LINES.flatMap((line) => splitCommands(line.text).parts);
    for (const step of NOT_RUN.keys()) {
      assert.ok(steps.includes(step), `no README line has ${step}: drop it from NOT_RUN`);
    }
  });

  const source = LINES.find((line) => TASK_ID_SOURCE.test(line.text));
  for (const line of LINES) {
    const name = `README.md:${line.lineNo}: ${line.text}`;
    test(name, { timeout: LINE_TIMEOUT_MS + 5_000 }, async (t) => {
      const plan = planOf(line.text);
      if (plan.kind === 'unknown') {
        assert.fail(
          `${name}\nthis test does not know how to run it (${plan.reason}): add a handler`,
        );
      }
      const isSource = line === source;
      try {
        for (const step of plan.kind === 'run' ? plan.notRun : []) {
          t.diagnostic(`not run here: ${step} (${NOT_RUN.get(step) ?? ''})`);
        }
        if (line.text.includes('2122988149')) {
          assert.ok(
            source && source.lineNo < line.lineNo,
            `${name}: the task id comes from an earlier \`captchaai solve ... --json\` line`,
          );
        }
        const command = await fill(plan.command);
        assert.ok(
          !command.includes('...') && !command.includes('…'),
          `${name}: a placeholder is left (add it to PLACEHOLDERS): ${command}`,
        );
        if (plan.kind === 'server') {
          await runServer(command, line);
          return;
        }
        const { output } = sh(command, envFor(line));
        const code = await output.exit();
        assert.equal(
          code,
          expectedExit(command),
          `${name}\nran: ${command}\nexit ${String(code)}; stderr:\n${output.stderr}`,
        );
        if (isSource) {
          const printed = JSON.parse(output.stdout) as { taskId?: unknown };
          assert.match(String(printed.taskId), /^\d+$/, `${name}: prints a taskId`);
          solvedTaskId.resolve(String(printed.taskId));
        }
      } catch (error) {
        if (isSource) solvedTaskId.reject(error);
        throw error;
      }
    });
  }

  /** A long-running line: it must print where it listens and its export line, serve, and stop. */
  async function runServer(command: string, line: ReadmeLine): Promise<void> {
    const { output, child } = sh(command, envFor(line));
    try {
      const url = (await output.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/))[1];
      const exported = await output.waitFor(
        /^export CAPTCHAAI_BASE_URL=(\S+) CAPTCHAAI_KEY=([0-9a-f]{32})$/m,
      );
      assert.equal(exported[1], url, 'the export line names the URL it listens on');
      // The export line alone points a client at it.
      const { output: balance } = sh('captchaai balance', {
        PATH: envFor(line).PATH ?? '',
        CAPTCHAAI_BASE_URL: exported[1] ?? '',
        CAPTCHAAI_KEY: exported[2] ?? '',
      });
      assert.equal(await balance.exit(), 0, balance.stderr);
      assert.match(balance.stdout, /^\d+(?:\.\d+)?\n$/);
    } finally {
      killGroup(child, 'SIGINT');
    }
    await output.exit();
    assert.match(output.stderr, /simulator stopped \(SIGINT\)/, output.stderr);
  }
});
