/** The process streams and environment, passed in so the CLI can be driven without globals. */
export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts once stdout can take no more (its reader left: EPIPE); absent where it cannot close. */
  stdoutClosed?: AbortSignal;
  /**
   * Calls `listener` on SIGINT or SIGTERM, and with SIGPIPE once stdout closes; returns the
   * function that stops listening.
   */
  onInterrupt(listener: (signal: string) => void): () => void;
}

const REDACTED = '[redacted]';

/**
 * Every line the CLI writes goes through here: the answer to stdout, everything else to stderr,
 * so `captchaai solve ... > token.txt` captures only the answer. Secrets registered with
 * `addSecret` are masked on both streams as a last line of defence: no code path is meant to
 * print the key, but an error message from a dependency could still quote it.
 */
export class Output {
  private readonly secrets = new Set<string>();
  /** Set by `-q`: only results and errors are printed, log lines are dropped. */
  quiet = false;
  /** Where lines go: the process streams, or the writer that shares them with a progress bar. */
  private streams: Pick<CliIO, 'stdout' | 'stderr'>;

  constructor(io: CliIO) {
    this.streams = io;
  }

  /** Sends every later line through `streams` (a terminal screen that also draws a bar). */
  writeThrough(streams: Pick<CliIO, 'stdout' | 'stderr'>): void {
    this.streams = streams;
  }

  addSecret(secret: string | undefined): void {
    // Very short strings would mask unrelated text; real keys are 32 characters.
    if (secret !== undefined && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** One result line on stdout. */
  result(text: string): void {
    this.streams.stdout.write(`${this.redact(text)}\n`);
  }

  /** One progress or log line on stderr. */
  log(text: string): void {
    if (this.quiet) return;
    this.streams.stderr.write(`${this.redact(text)}\n`);
  }

  /**
   * One log record (a JSON line, newline included) on stderr. Asked for with `--log-level`, so it
   * is written under `-q` too.
   */
  logRecord(line: string): void {
    this.streams.stderr.write(this.redact(line));
  }

  /** The single error line: `error: <CODE>: <message>`, on one line whatever the message holds. */
  error(code: string, message: string): void {
    const oneLine = message.replace(/\s*\n\s*/g, ' ').trim();
    this.streams.stderr.write(`${this.redact(`error: ${code}: ${oneLine}`)}\n`);
  }
}
