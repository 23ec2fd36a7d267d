import { InvalidTaskError } from '../errors/invalid-task-error.js';
import { isLikelyTypo } from '../text/likely-typo.js';
import { unencodableReason } from './encode-value.js';
import { checkParam, isPresent } from './param-checks.js';
import { ruleFor } from './task-rules.js';
import { TASK_METHODS, type AnyTask, type Task } from './tasks/task.js';

export interface ValidateTaskOptions {
  /**
   * Let a method this library does not know through, with only `method` checked. The service
   * adds methods faster than clients do.
   * @default false
   */
  allowUnknownMethods?: boolean;
}

/**
 * Checks a task before any request is sent, so a missing parameter costs no request, no thread
 * and no ban counter. Returns the same object, typed; throws InvalidTaskError naming the
 * parameter. Parameters the library does not know pass through unchanged, but must be sendable.
 */
export function validateTask(task: unknown, options: { allowUnknownMethods: true }): AnyTask;
export function validateTask(task: unknown, options?: { allowUnknownMethods?: false }): Task;
export function validateTask(task: unknown, options?: ValidateTaskOptions): AnyTask;
export function validateTask(task: unknown, options: ValidateTaskOptions = {}): AnyTask {
  if (typeof task !== 'object' || task === null || Array.isArray(task)) {
    throw new InvalidTaskError('task', 'task must be an object with a "method" parameter');
  }
  const params = task as Record<string, unknown>;
  const method = params['method'];
  if (!isPresent(method))
    throw new InvalidTaskError('method', 'task is missing required parameter "method"');
  if (typeof method !== 'string') {
    throw new InvalidTaskError('method', 'task parameter "method" must be a non-empty string');
  }
  const rule = ruleFor(params);
  if (rule === undefined && options.allowUnknownMethods !== true) {
    throw new InvalidTaskError(
      'method',
      `unknown task method "${method}"; known methods: ${TASK_METHODS.join(', ')} ` +
        '(to send it anyway: the Solver option allowUnknownMethods: true, or ' +
        '--allow-unknown-method on the command line)',
    );
  }
  for (const entry of rule?.required ?? []) {
    const names = typeof entry === 'string' ? [entry] : entry;
    if (names.some((name) => isPresent(params[name]))) continue;
    const first = names[0] ?? '';
    const message =
      names.length === 1
        ? `${method} task is missing required parameter "${first}"`
        : `${method} task needs one of the parameters ${names.map((n) => `"${n}"`).join(' or ')}`;
    throw new InvalidTaskError(first, message + misspeltHint(params, names));
  }
  for (const [name, value] of Object.entries(params)) {
    if (name === 'method' || value === undefined || value === null) continue;
    const kind = rule?.kinds[name];
    const problem = kind === undefined ? unencodableReason(value) : checkParam(kind, value);
    if (problem !== undefined) {
      const expected = kind === undefined ? `cannot be sent: ${problem}` : `must be ${problem}`;
      throw new InvalidTaskError(name, `${method} task parameter "${name}" ${expected}`);
    }
  }
  return params as AnyTask;
}

/**
 * ` (given "sitekye": did you mean "sitekey"?)` when a parameter given looks like a required one
 * mistyped: unknown parameters are sent as they are, so the typo alone would go unnamed.
 */
function misspeltHint(params: Record<string, unknown>, required: readonly string[]): string {
  for (const given of Object.keys(params)) {
    const meant = required.find((name) => isLikelyTypo(given, name));
    if (meant !== undefined) return ` (given "${given}": did you mean "${meant}"?)`;
  }
  return '';
}
