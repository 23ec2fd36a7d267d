import { isKnownErrorCode } from '../errors/error-codes.js';

/** A value the service answered with: a text or token, a number (ids, balance), an object (GeeTest). */
export type AnswerValue = string | number | Record<string, unknown>;

/** A success. `extra` holds every other top-level JSON field (`user_agent`, `cookies`, `price`...). */
export interface OkAnswer {
  kind: 'ok';
  value: AnswerValue;
  extra: Record<string, unknown>;
}

/** `CAPCHA_NOT_READY`: poll again later. */
export interface NotReadyAnswer {
  kind: 'not-ready';
}

/** An error code, exactly as sent (`ERROR: 1001` spacing normalised). */
export interface ErrorAnswer {
  kind: 'error';
  code: string;
  /** The service's `error_text`, with anything that looks like a key or token removed. */
  errorText?: string;
}

/** One parsed answer of in.php, res.php or solve.php. */
export type Answer = OkAnswer | NotReadyAnswer | ErrorAnswer;

/** True for `CAPCHA_NOT_READY` and the spelling the service never uses but clones might. */
export function isNotReady(text: string): boolean {
  return text === 'CAPCHA_NOT_READY' || text === 'CAPTCHA_NOT_READY';
}

/**
 * True when a bare text answer is an error code. Strict on purpose, because in the batch form a
 * solved image's text stands bare too: only `ERROR...` forms and the listed odd codes
 * (`IP_BANNED`, `MAX_USER_TURN`, `REPORT_NOT_RECORDED`...) count.
 */
export function isTextErrorCode(text: string): boolean {
  return /^ERROR(?:_[A-Z0-9_]+|: ?\d+)?$/.test(text) || isKnownErrorCode(text);
}

/** True when a JSON `status:0` request reads as a code rather than a sentence. */
export function isJsonErrorCode(text: string): boolean {
  return /^[A-Z][A-Z0-9_]*(?:: ?\d+)?$/.test(text);
}

/** `ERROR:1001` and `ERROR: 1001` are one code; the docs spell it with the space. */
export function normaliseErrorCode(code: string): string {
  const numbered = /^ERROR:\s*(\d+)$/.exec(code);
  return numbered ? `ERROR: ${numbered[1]}` : code;
}

/**
 * Removes anything from service-supplied text that could be a key or a token (a run of 24 or
 * more letters and digits), so error messages never carry a credential even if the service echoes
 * one back.
 */
export function redactSecrets(text: string): string {
  return text.replace(/[A-Za-z0-9]{24,}/g, '[redacted]');
}
