import { closeSync, openSync, writeSync } from 'node:fs';
import { pino } from 'pino';
import type { SolverLogger } from '../solver/logger.js';
import type { LogSettings } from './global-options.js';
import type { Output } from './output.js';
import { UsageError } from './usage-error.js';

/** The CLI's logger for one command, and the Solver option that hands it over. */
export interface CliLog {
  /** `{ logger }` when logging is on, else empty: spread into the Solver's options. */
  solverOptions: { logger?: SolverLogger };
  /** Writes out what is left and closes the log file. */
  close(): void;
}

const OFF: CliLog = { solverOptions: {}, close: () => undefined };

/** Fields that could hold a key if a line ever carried a request's parameters. */
const KEY_FIELDS = ['key', '*.key', 'params.key', '*.params.key', 'url', '*.url'];

/**
 * A pino logger for `--log-level` / `--log-file`, or nothing when neither was given. Lines go to
 * the file (appended), or to stderr through `output`, so that they are printed above a progress
 * bar rather than through it. Writes are synchronous: a command that ends, or exits on an error,
 * loses no line. Every line is masked for the keys `output` knows, on top of the solver's own
 * masking and pino's redaction of key-like fields.
 */
export function openCliLog(settings: LogSettings | undefined, output: Output): CliLog {
  if (settings === undefined) return OFF;
  const file = settings.file === undefined ? undefined : new LogFile(settings.file, output);
  const destination = file ?? { write: (line: string) => output.logRecord(line) };
  const logger = pino(
    {
      level: settings.level,
      redact: { paths: KEY_FIELDS, censor: '[redacted]' },
    },
    destination,
  );
  return { solverOptions: { logger }, close: () => file?.close() };
}

/**
 * The log file, written synchronously line by line. A line that comes after close (a late event
 * of a cancelled solve) is dropped rather than written to a descriptor the process may have
 * reused; a failed write stops the log with one warning instead of failing the command.
 */
class LogFile {
  private fd: number | undefined;

  constructor(
    private readonly path: string,
    private readonly output: Output,
  ) {
    this.fd = openLogFile(path);
  }

  write(line: string): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, this.output.redact(line));
    } catch (error) {
      this.close();
      const code = (error as { code?: unknown }).code;
      this.output.log(
        `warning: --log-file ${this.path}: writing failed (${typeof code === 'string' ? code : 'error'}); no more log lines`,
      );
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

function openLogFile(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      '--log-file',
      `--log-file cannot be opened for appending (${typeof code === 'string' ? code : 'error'}): ${path}`,
    );
  }
}
