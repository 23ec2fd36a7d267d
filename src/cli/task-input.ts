import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { suggestOption } from './flag-suggestion.js';
import { UsageError } from './usage-error.js';

/** What `captchaai solve` was given, before it becomes a task. */
export interface TaskSources {
  /** Operands and unknown options, in order, exactly as commander left them. */
  args: readonly string[];
  method: string | undefined;
  file: string | undefined;
  body: string | undefined;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The command's own options (`--timeout`), to catch a parameter flag that is a typo of one. */
  options?: readonly string[];
  /** Prints a warning line (a likely typo that is still sent as a parameter). */
  warn?: (text: string) => void;
}

/** A parameter flag that looks like a typo of one of the command's options: sent, with a warning. */
export interface NearMiss {
  flag: string;
  option: string;
}

/**
 * Splits what commander did not recognise into task parameters and operands. Every `--name
 * value` or `--name=value` is a task parameter, unknown ones included (`--data-s`, `--min_score`):
 * the service adds parameters faster than a CLI can list them. The value is always the next
 * word, even if it starts with a dash, so a JSON task operand goes before any parameter flag.
 */
export function splitTaskArgs(
  args: readonly string[],
  options: readonly string[] = [],
): {
  params: Record<string, string>;
  operands: string[];
  nearMisses: NearMiss[];
} {
  const params: Record<string, string> = {};
  const operands: string[] = [];
  const nearMisses: NearMiss[] = [];
  const noteNearMiss = (flag: string): void => {
    const option = suggestOption(flag, options);
    if (option !== undefined) nearMisses.push({ flag, option });
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg.length === 2) {
      throw new UsageError(
        arg,
        `unknown option ${JSON.stringify(arg)}: task parameters are written --name value`,
      );
    }
    const eq = arg.indexOf('=');
    if (eq > 2) {
      params[arg.slice(2, eq)] = arg.slice(eq + 1);
      noteNearMiss(arg.slice(0, eq));
      continue;
    }
    const value = args[i + 1];
    if (value === undefined) {
      // Most likely a mistyped switch (`--jsn` for `--json`) rather than a parameter left empty.
      const option = suggestOption(arg, options);
      throw new UsageError(
        arg,
        option === undefined
          ? `${arg} needs a value`
          : `unknown option ${arg} (did you mean ${option}?)`,
      );
    }
    params[arg.slice(2)] = value;
    noteNearMiss(arg);
    i++;
  }
  return { params, operands, nearMisses };
}

/**
 * Builds the task from, in increasing priority: a JSON task (operand, `-` for stdin, or stdin
 * when it is piped and no --method is given), the parameter flags, then --method, --body and
 * --file. Validation is left to validateTask, which names the missing parameter.
 */
export async function buildTask(sources: TaskSources): Promise<Record<string, unknown>> {
  const { params, operands, nearMisses } = splitTaskArgs(sources.args, sources.options);
  for (const { flag, option } of nearMisses) {
    sources.warn?.(`warning: ${flag} is sent as a task parameter; did you mean ${option}?`);
  }
  if (operands.length > 1) {
    throw new UsageError(
      'task',
      `expected at most one JSON task, got ${operands.length} operands (${operands.map((o) => JSON.stringify(o)).join(' ')})`,
    );
  }
  const operand = operands[0];
  let task: Record<string, unknown> = {};
  if (operand === '-') task = parseJsonTask(await readAll(sources.stdin), 'stdin');
  else if (operand !== undefined) task = parseJsonTask(operand, 'the task argument');
  else if (sources.method === undefined && sources.stdin.isTTY !== true) {
    const text = await readAll(sources.stdin);
    if (text.trim() !== '') task = parseJsonTask(text, 'stdin');
  }
  task = { ...task, ...params };
  if (sources.method !== undefined) task['method'] = sources.method;
  if (sources.body !== undefined) task['body'] = sources.body;
  if (task['method'] === undefined) {
    throw new UsageError(
      '--method',
      'no task: pass --method and its parameters (--googlekey K --pageurl U ...), or a JSON task as an argument or on stdin',
    );
  }
  // A JSON task may name its image by path: {"method":"post","file":"captcha.png"}.
  const filePath =
    sources.file ??
    (task['method'] === 'post' && typeof task['file'] === 'string' ? task['file'] : undefined);
  if (filePath !== undefined)
    await attachFile(task, filePath, sources.file !== undefined ? '--file' : 'file');
  return task;
}

async function attachFile(
  task: Record<string, unknown>,
  path: string,
  source: string,
): Promise<void> {
  const method = task['method'];
  if (method !== 'post' && method !== 'base64') {
    throw new UsageError(
      source,
      `${source} applies to method post (multipart upload) or base64, not ${JSON.stringify(method)}`,
    );
  }
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      source,
      `${source}: cannot read ${JSON.stringify(path)} (${typeof code === 'string' ? code : 'unreadable'})`,
    );
  }
  if (method === 'base64') task['body'] = data.toString('base64');
  else
    task['file'] = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      filename: basename(path),
    };
}

function parseJsonTask(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError('task', `${where} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      'task',
      `${where} must be a JSON object such as {"method":"turnstile","sitekey":"...","pageurl":"..."}`,
    );
  }
  return value as Record<string, unknown>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
