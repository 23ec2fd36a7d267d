// The README's CLI documentation names exactly the flags `captchaai <command> --help` prints: a
// flag added to the CLI must be documented, and a documented flag must exist. The help comes from
// the installed command (bin/captchaai.js, i.e. the compiled dist/ that `npm ci` builds), as a
// user sees it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { childEnv, inParallel, PROJECT_ROOT } from './helpers/cli.js';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const BIN = join(PROJECT_ROOT, 'bin', 'captchaai.js');
const COMMANDS = ['batch', 'solve', 'balance', 'threads', 'report', 'sim'] as const;
type Command = (typeof COMMANDS)[number];

/**
 * `--name value` pairs the README shows for `solve` that are task parameters, not options:
 * `captchaai solve` sends every flag it does not know as a parameter of the task, so these are
 * examples of the service's own parameter names (any of its dozens would do) and have no line in
 * `solve --help`. Each entry must be used by the README and must not be a real solve option
 * (then it would belong in the comparison), so this list cannot hide a flag.
 */
const TASK_PARAMETERS: ReadonlyMap<string, string> = new Map([
  ['--googlekey', "reCAPTCHA's site key, in the solve row's flag example and the CLI block"],
  ['--pageurl', "the page's URL, in the solve row's flag example and the CLI block"],
  ['--sitekey', "Turnstile's site key, in the CLI block's turnstile example"],
  ['--numeric', 'an image task parameter (digits only), in the CLI block image example'],
  ['--name', 'the placeholder of "every `--name value` is sent as that parameter"'],
]);

/**
 * Flags in the "Batch runs" section that belong to node, not to `captchaai batch`: the section
 * says V8 heap flags of your own (also in NODE_OPTIONS) take precedence over the CLI's tuning.
 */
const NODE_FLAGS: ReadonlyMap<string, string> = new Map([
  ['--max-old-space-size', 'V8 heap limit, named by the heap-tuning sentence'],
  ['--heap-growing-percent', 'V8 heap growth, named by the heap-tuning sentence'],
]);

/** `--flags` in a piece of README text (task parameters may have underscores: `--min_score`). */
function readmeFlags(text: string): Set<string> {
  return new Set(text.match(/(?<![\w-])--[a-z][a-z0-9_-]*/g) ?? []);
}

/** README lines outside fenced code blocks, with their index, so `# ...` in a block is no heading. */
function proseLines(): Array<{ line: string; fenced: boolean }> {
  let fenced = false;
  return README.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return { line, fenced: true };
    }
    return { line, fenced };
  });
}

/** The text of a section, from its heading to the next heading of any level. */
function section(heading: string): string {
  const lines = proseLines();
  const start = lines.findIndex((l) => !l.fenced && l.line === heading);
  assert.ok(start >= 0, `the README has a "${heading}" section`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !l.fenced && /^#{1,6} /.test(l.line));
  return (end < 0 ? rest : rest.slice(0, end)).map((l) => l.line).join('\n');
}

/** The command's row of the "CLI reference" table (its first cell names the command). */
function tableRow(command: Command): string {
  const rows = section('## CLI reference')
    .split('\n')
    .filter((line) => new RegExp(`^\\|\\s*\`captchaai ${command}[\\s\`]`).test(line));
  assert.equal(rows.length, 1, `the CLI reference table has one row for captchaai ${command}`);
  return rows[0] ?? '';
}

/**
 * The common flags paragraph: "Every command but `sim` takes A, B ...; `sim` is the service
 * itself, so it takes C and D, but no E or F. `--help` works everywhere."
 */
function commonFlags(): { allButSim: Set<string>; sim: Set<string>; notSim: Set<string> } {
  const paragraph = section('## CLI reference')
    .split(/\n\s*\n/)
    .find((p) => p.trimStart().startsWith('Every command but `sim` takes'));
  assert.ok(paragraph, 'the CLI reference opens with "Every command but `sim` takes ..."');
  const text = paragraph.replace(/\s+/g, ' ').trim();
  const parts =
    /^Every command but `sim` takes (.*?); (`sim` .*?) but no (.*?)\. `--help` works everywhere\./.exec(
      text,
    );
  assert.ok(
    parts,
    `the common flags paragraph reads "Every command but \`sim\` takes ...; \`sim\` ... but no ... . \`--help\` works everywhere."; got ${text}`,
  );
  return {
    allButSim: readmeFlags(parts[1] ?? ''),
    sim: readmeFlags(parts[2] ?? ''),
    notSim: readmeFlags(parts[3] ?? ''),
  };
}

const run = promisify(execFile);

async function help(args: readonly string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args, '--help'], {
    cwd: PROJECT_ROOT,
    env: childEnv(),
  });
  return stdout;
}

/** The long flags of the "Options:" list; `--help` itself is left out (it works everywhere). */
function helpFlags(text: string): Set<string> {
  const options = text.split(/\n(?=\S)/).find((block) => block.startsWith('Options:'));
  assert.ok(options, `--help prints an Options: list; got ${text}`);
  const flags = new Set<string>();
  // An option's own line starts at two spaces ("  -q, --quiet", "  --out <file>"); wrapped
  // descriptions are indented further and may name other flags.
  for (const match of options.matchAll(/^ {2}(?:-\w, )?(--[a-z0-9-]+)/gm)) {
    if (match[1] !== '--help') flags.add(match[1] ?? '');
  }
  return flags;
}

const helpTexts = new Map<Command, Promise<string>>();
let helpRuns: Promise<string[]> | undefined;
function helpOf(command: Command): Promise<string> {
  // Two at a time, started once for every test that needs them.
  helpRuns ??= inParallel(
    2,
    COMMANDS.map((c) => () => help([c])),
  );
  let text = helpTexts.get(command);
  if (!text) {
    const index = COMMANDS.indexOf(command);
    text = helpRuns.then((texts) => texts[index] ?? '');
    helpTexts.set(command, text);
  }
  return text;
}

/** What the README documents as `command`'s flags. */
function documentedFlags(command: Command): { flags: Set<string>; where: string } {
  const common = commonFlags();
  const flags = readmeFlags(tableRow(command));
  const where = [`its row in the CLI reference table`];
  const add = (more: Iterable<string>): void => {
    for (const flag of more) flags.add(flag);
  };
  if (command === 'sim') {
    add(common.sim);
    where.push('the "`sim` is the service itself, so it takes ..." clause');
  } else {
    add(common.allButSim);
    where.push('the "Every command but `sim` takes ..." paragraph');
  }
  if (command === 'batch') {
    for (const flag of readmeFlags(section('### Batch runs'))) {
      if (!NODE_FLAGS.has(flag)) flags.add(flag);
    }
    where.push('the "Batch runs" section');
  }
  if (command === 'solve') {
    // solve's row shows how to give a task as flags; those names are task parameters.
    for (const flag of TASK_PARAMETERS.keys()) flags.delete(flag);
  }
  return { flags, where: where.join(', ') };
}

test('captchaai --help lists exactly the commands the README documents', async () => {
  const text = await help([]);
  const commands = text
    .slice(text.indexOf('\nCommands:\n'))
    .split('\n')
    .flatMap((line) => /^ {2}([a-z]+)\b/.exec(line)?.[1] ?? [])
    .filter((name) => name !== 'help');
  assert.deepEqual(commands.sort(), [...COMMANDS].sort(), 'commands of captchaai --help');
});

for (const command of COMMANDS) {
  test(`captchaai ${command}: the README documents exactly the flags of --help`, async () => {
    const printed = helpFlags(await helpOf(command));
    const { flags: documented, where } = documentedFlags(command);
    const undocumented = [...printed].filter((flag) => !documented.has(flag));
    const unknown = [...documented].filter((flag) => !printed.has(flag));
    assert.deepEqual(
      undocumented,
      [],
      `captchaai ${command} --help has ${undocumented.join(', ')}, which the README does not document (${where})`,
    );
    assert.deepEqual(
      unknown,
      [],
      `the README documents ${unknown.join(', ')} for captchaai ${command} (${where}), which captchaai ${command} --help does not know`,
    );
  });
}

test('the README common flags paragraph: sim takes none of the flags it says sim does not take', async () => {
  const { notSim } = commonFlags();
  assert.ok(notSim.size > 0, 'the paragraph names what sim does not take');
  const printed = helpFlags(await helpOf('sim'));
  for (const flag of notSim) {
    assert.ok(!printed.has(flag), `the README says sim takes no ${flag}, but sim --help has it`);
  }
});

test('the flags left out of the comparison are not options: task parameters and node heap flags', async () => {
  const solveOptions = helpFlags(await helpOf('solve'));
  const examples = [
    tableRow('solve'),
    ...README.split('\n').filter((line) => line.startsWith('captchaai solve ')),
  ].join('\n');
  for (const [flag, why] of TASK_PARAMETERS) {
    assert.ok(!solveOptions.has(flag), `${flag} (${why}) is a real solve option: compare it`);
    assert.ok(readmeFlags(examples).has(flag), `${flag} (${why}) no longer appears in the README`);
  }
  const batchOptions = helpFlags(await helpOf('batch'));
  const batchSection = readmeFlags(section('### Batch runs'));
  for (const [flag, why] of NODE_FLAGS) {
    assert.ok(!batchOptions.has(flag), `${flag} (${why}) is a real batch option: compare it`);
    assert.ok(batchSection.has(flag), `${flag} (${why}) no longer appears in "Batch runs"`);
  }
});

test('every flag in a README command line is an option of that command (solve: or a task parameter)', async () => {
  const lines = README.split('\n').filter((line) => /^(?:.*\| )?captchaai [a-z]+/.test(line));
  assert.ok(lines.length > 0, 'the README has captchaai command lines');
  for (const line of lines) {
    for (const use of line.matchAll(/captchaai ([a-z]+)((?:[^|#]|\|(?!\s))*)/g)) {
      const command = use[1] as Command;
      assert.ok(COMMANDS.includes(command), `${line}: captchaai ${command} is no command`);
      const printed = helpFlags(await helpOf(command));
      for (const flag of readmeFlags(use[2] ?? '')) {
        const taskParameter = command === 'solve' && TASK_PARAMETERS.has(flag);
        assert.ok(
          printed.has(flag) || taskParameter,
          `${line}: captchaai ${command} --help has no ${flag}${command === 'solve' ? ' (and it is not in TASK_PARAMETERS)' : ''}`,
        );
      }
    }
  }
});

test('captchaai --help: every command its common flags sentence covers has those flags', async () => {
  const text = (await help([])).replace(/\s+/g, ' ');
  const parts = /Every command( but sim)? takes (.*?);/.exec(text);
  assert.ok(parts, `captchaai --help names the flags every command takes; got ${text}`);
  const covered = COMMANDS.filter((command) => parts[1] === undefined || command !== 'sim');
  for (const command of covered) {
    const printed = helpFlags(await helpOf(command));
    for (const flag of readmeFlags(parts[2] ?? '')) {
      assert.ok(
        printed.has(flag),
        `captchaai --help says ${command} takes ${flag}, but ${command} --help has no ${flag}`,
      );
    }
  }
});

test('captchaai solve --help names every exit code the README gives to every command', async () => {
  const paragraph = section('## CLI reference')
    .split(/\n\s*\n/)
    .find((p) => p.includes('Exit codes:'));
  assert.ok(paragraph, 'the CLI reference has an "Exit codes:" paragraph');
  // Codes marked "(`batch` only)" are not solve's.
  const codes = [...paragraph.replace(/\s+/g, ' ').matchAll(/\*\*(\d+)\*\*( \(`batch` only\))?/g)]
    .filter((match) => match[2] === undefined)
    .map((match) => match[1] ?? '');
  assert.ok(codes.includes('130'), `the README's exit codes: ${codes.join(', ')}`);
  const text = (await helpOf('solve')).replace(/\s+/g, ' ');
  const printed = text.slice(text.indexOf('Exit codes:'));
  for (const code of codes) {
    assert.match(printed, new RegExp(`\\b${code}\\b`), `solve --help has no exit code ${code}`);
  }
});
