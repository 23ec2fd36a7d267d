import type { Solution } from '../../solver/types.js';
import type { TurnstileTask } from './cloudflare.js';
import type { GeetestV3Task, GeetestV4NativeTask, GeetestV4Task } from './geetest.js';
import type { GridTask, ImageBase64Task, ImagePostTask } from './image.js';
import type { CaptchafoxTask, FriendlyCaptchaTask, HcaptchaTask } from './other-tokens.js';
import type { RecaptchaV2Task, RecaptchaV3Task } from './recaptcha.js';
import type { AnyTask } from './task.js';

/**
 * A GeeTest v3 answer. The field names are kept as the service sent them: 2captcha's
 * `geetest_challenge`, `geetest_validate`, `geetest_seccode`, or CaptchaAI's `challenge`,
 * `validate`, `seccode` (docs/protocol.md, "Answer shapes"); hence all optional.
 */
export interface GeetestV3Solution {
  challenge?: string;
  validate?: string;
  seccode?: string;
  geetest_challenge?: string;
  geetest_validate?: string;
  geetest_seccode?: string;
  [field: string]: unknown;
}

/** A GeeTest v4 answer, in either task form: the values the page's form posts back. */
export interface GeetestV4Solution {
  captcha_id?: string;
  lot_number?: string;
  pass_token?: string;
  gen_time?: string;
  captcha_output?: string;
  [field: string]: unknown;
}

/**
 * Tasks whose answer is one string: a token, an image's text or a grid's clicks. The solver
 * refuses any other answer for them (AnswerShapeError), so the type holds.
 */
export type TextAnswerTask =
  | ImagePostTask
  | ImageBase64Task
  | GridTask
  | RecaptchaV2Task
  | RecaptchaV3Task
  | TurnstileTask
  | HcaptchaTask
  | CaptchafoxTask
  | FriendlyCaptchaTask;

/**
 * What `solve()` resolves a task to, by the task's type. The Cloudflare challenge, Lemin and BLS
 * may answer a string or an object, and unchecked tasks anything: those get `Solution`.
 */
export type SolutionOf<T extends AnyTask> = T extends GeetestV4Task | GeetestV4NativeTask
  ? GeetestV4Solution
  : T extends GeetestV3Task
    ? GeetestV3Solution
    : T extends TextAnswerTask
      ? string
      : Solution;
