/**
 * The CAPTCHA type a task's capacity refusals are tracked under: its method, with reCAPTCHA v3
 * apart from v2 (the same method, solved by other workers). The platform runs out of workers one
 * type at a time, so each type waits, backs off and learns its cap on its own.
 */
export function capacityTypeOf(task: { method: unknown; version?: unknown }): string {
  const method = String(task.method);
  return method === 'userrecaptcha' && task.version === 'v3' ? 'userrecaptcha/v3' : method;
}
