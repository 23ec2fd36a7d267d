import type { AnyTask, CustomTask } from './task.js';

/** Only `uncheckedTask()` makes the brand, so an unchecked task is always one on purpose. */
declare const unchecked: unique symbol;

/**
 * A task the compiler does not check, made by `uncheckedTask()`: for parameters or methods the
 * task types do not know yet. It is still validated at run time (a method, the known method's
 * required parameters, values that can be sent), and an unknown method still needs the Solver
 * option `allowUnknownMethods`.
 */
export type UncheckedTask = CustomTask & { readonly [unchecked]: true };

/**
 * Marks a task as sent as it is, past the compiler's check of its parameters; its solution is
 * typed `Solution` (a string or an object). The object is returned unchanged.
 */
export function uncheckedTask(task: AnyTask): UncheckedTask {
  return task as UncheckedTask;
}
