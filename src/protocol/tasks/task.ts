import type { CommonTaskParams } from './common.js';
import type { CloudflareChallengeTask, TurnstileTask } from './cloudflare.js';
import type { GeetestV3Task, GeetestV4NativeTask, GeetestV4Task } from './geetest.js';
import type { GridTask, ImageBase64Task, ImagePostTask } from './image.js';
import type {
  BlsTask,
  CaptchafoxTask,
  FriendlyCaptchaTask,
  HcaptchaTask,
  LeminTask,
} from './other-tokens.js';
import type { RecaptchaV2Task, RecaptchaV3Task } from './recaptcha.js';

/** Every task type this library knows, by wire `method` (docs/protocol.md, "Task types"). */
export type Task =
  | ImagePostTask
  | ImageBase64Task
  | GridTask
  | RecaptchaV2Task
  | RecaptchaV3Task
  | TurnstileTask
  | CloudflareChallengeTask
  | GeetestV3Task
  | GeetestV4Task
  | GeetestV4NativeTask
  | HcaptchaTask
  | CaptchafoxTask
  | FriendlyCaptchaTask
  | LeminTask
  | BlsTask;

/** The methods this library knows. */
export type TaskMethod = Task['method'];

/** The known methods, in the order error messages list them. */
export const TASK_METHODS: readonly TaskMethod[] = Object.freeze([
  'post',
  'base64',
  'userrecaptcha',
  'turnstile',
  'cloudflare_challenge',
  'geetest',
  'geetest_v4',
  'hcaptcha',
  'captchafox',
  'friendly_captcha',
  'lemin',
  'bls',
] as const);

/**
 * A task with a method this library does not know, let through by
 * `validateTask(task, { allowUnknownMethods: true })`, or a known method with parameters its type
 * does not name: the service adds both faster than clients do. Its parameters are sent as they
 * are: strings unchanged, arrays and objects as JSON.
 */
export interface CustomTask extends CommonTaskParams {
  method: string;
  [param: string]: unknown;
}

/** What the encoder accepts: a known task, or a custom one. */
export type AnyTask = Task | CustomTask;

/** True when `method` is one this library knows. */
export function isKnownMethod(method: string): method is TaskMethod {
  return (TASK_METHODS as readonly string[]).includes(method);
}
