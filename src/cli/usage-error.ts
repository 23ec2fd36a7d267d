/**
 * The command line was wrong (a bad flag value, a missing key, a missing task parameter). `flag`
 * names what to fix, as the user typed it (`--profile`, `CAPTCHAAI_KEY`); it maps to exit code 2.
 */
export class UsageError extends Error {
  readonly code = 'USAGE';
  readonly flag: string;

  constructor(flag: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.flag = flag;
  }
}
