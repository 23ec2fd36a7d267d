import type { CommonTaskParams, Flag } from './common.js';

/** hCaptcha (supported historically; absent from CaptchaAI's current lists). */
export interface HcaptchaTask extends CommonTaskParams {
  method: 'hcaptcha';
  sitekey: string;
  pageurl: string;
  invisible?: Flag;
  /** The `rqdata` value. */
  data?: string;
  userAgent?: string;
  domain?: string;
}

/** CaptchaFox: solved from the caller's proxy, so proxy and proxytype are required. */
export interface CaptchafoxTask extends CommonTaskParams {
  method: 'captchafox';
  sitekey: string;
  pageurl: string;
  proxy: string;
  proxytype: string;
  userAgent?: string;
}

export interface FriendlyCaptchaTask extends CommonTaskParams {
  method: 'friendly_captcha';
  sitekey: string;
  pageurl: string;
}

/** Lemin cropped puzzle; the answer is `{answer, challenge_uuid}`. */
export interface LeminTask extends CommonTaskParams {
  method: 'lemin';
  captcha_id: string;
  div_id: string;
  pageurl: string;
  api_server?: string;
}

/**
 * BLS. The sources disagree on the wire format (the examples send `body`, the blog card
 * `sitekey`+`pageurl`+`instructions`+`code`), so only "`body` or `instructions`" is required.
 */
export interface BlsTask extends CommonTaskParams {
  method: 'bls';
  body?: string;
  instructions?: string;
}
