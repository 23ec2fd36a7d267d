import type { CommonTaskParams, Flag } from './common.js';

/**
 * One cookie of `json_cookies`, with the documented fields, which are typed here but not checked
 * before sending (docs/protocol.md, "reCAPTCHA cookies").
 */
export interface JsonCookie {
  domain: string;
  name: string;
  value: string;
  secure: boolean;
  hostOnly?: boolean;
  path?: string;
  httpOnly?: boolean;
  session?: boolean;
  expirationDate?: number;
  sameSite?: string;
  [field: string]: unknown;
}

interface RecaptchaCommon extends CommonTaskParams {
  method: 'userrecaptcha';
  /** The site key. */
  googlekey: string;
  pageurl: string;
  enterprise?: Flag;
  /** `google.com` or `recaptcha.net`. */
  domain?: string;
}

/** reCAPTCHA v2, visible or invisible, optionally Enterprise. */
export interface RecaptchaV2Task extends RecaptchaCommon {
  version?: 'v2';
  invisible?: Flag;
  'data-s'?: string;
  /** `KEY:Value;KEY2:Value2;` */
  cookies?: string;
  /** Sent as a JSON string; the cookies come back only with json=1. */
  json_cookies?: readonly JsonCookie[] | string;
  userAgent?: string;
}

/** reCAPTCHA v3. `action` is optional per the docs (the SDK requires it). */
export interface RecaptchaV3Task extends RecaptchaCommon {
  version: 'v3';
  action?: string;
  /** 0.3 (default), 0.7 or 0.9. */
  min_score?: number;
}
