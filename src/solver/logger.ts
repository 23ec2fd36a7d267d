/** One level of a logger: an object of fields, and an optional message, as pino takes them. */
export type LogFn = (obj: object, msg?: string) => void;

/**
 * Where the solver writes its log lines: pino, or any logger with these four methods (pino's
 * `(obj, msg)` form). The library imports no logger of its own; without one nothing is logged.
 */
export interface SolverLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /**
   * Whether a level would be written (pino has it). Where present, a line of a disabled level is
   * never built.
   */
  isLevelEnabled?(level: string): boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Whether `value` has every method a SolverLogger needs. */
export function isSolverLogger(value: unknown): value is SolverLogger {
  if (typeof value !== 'object' || value === null) return false;
  const logger = value as Record<string, unknown>;
  return LEVELS.every((level) => typeof logger[level] === 'function');
}

const REDACTED = '[redacted]';

/**
 * The solver's side of a logger: asks before building a line (a disabled level costs one call)
 * and masks the API key in whatever it writes. No line is built from a request's parameters or
 * an error's message, so the key is not meant to reach one; the mask is there in case a later
 * change lets it through.
 */
export class SolverLog {
  constructor(
    private readonly logger: SolverLogger,
    private readonly key: string,
  ) {}

  enabled(level: LogLevel): boolean {
    return this.logger.isLevelEnabled?.(level) ?? true;
  }

  /** Writes one line, built only if its level is on. */
  write(level: LogLevel, msg: string, fields: () => object): void {
    if (!this.enabled(level)) return;
    this.logger[level](this.masked(fields()), msg);
  }

  private masked(fields: object): object {
    const text = JSON.stringify(fields);
    if (!text.includes(this.key)) return fields;
    return JSON.parse(text.split(this.key).join(REDACTED)) as object;
  }
}
