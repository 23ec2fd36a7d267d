import { CaptchaAIError } from './captchaai-error.js';

/** An option is missing or out of range; `option` names it (the CLI maps it to its flag). */
export class ConfigError extends CaptchaAIError {
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', message);
    this.option = option;
  }
}
