// Every task type, per method, and their parts: the one list the package and the protocol layer
// both re-export.
export type { AnyTask, CustomTask, Task, TaskMethod } from './task.js';
export type { CommonTaskParams, Flag } from './common.js';
export type { CloudflareChallengeTask, TurnstileTask } from './cloudflare.js';
export type { GeetestV3Task, GeetestV4NativeTask, GeetestV4Task } from './geetest.js';
export type {
  GridOptions,
  GridTask,
  ImageBase64Task,
  ImageFile,
  ImageOptions,
  ImagePostTask,
} from './image.js';
export type {
  BlsTask,
  CaptchafoxTask,
  FriendlyCaptchaTask,
  HcaptchaTask,
  LeminTask,
} from './other-tokens.js';
export type { JsonCookie, RecaptchaV2Task, RecaptchaV3Task } from './recaptcha.js';
export type {
  GeetestV3Solution,
  GeetestV4Solution,
  SolutionOf,
  TextAnswerTask,
} from './solutions.js';
export type { UncheckedTask } from './unchecked-task.js';
