import type { CommonTaskParams } from './common.js';

/** GeeTest v3: `gt` plus a fresh `challenge` taken from the page. */
export interface GeetestV3Task extends CommonTaskParams {
  method: 'geetest';
  version?: 3 | '3';
  gt: string;
  challenge: string;
  pageurl: string;
  api_server?: string;
}

/** GeeTest v4 as CaptchaAI's blog sends it: `method=geetest`, `version=4`, `gt=<captcha_id>`. */
export interface GeetestV4Task extends CommonTaskParams {
  method: 'geetest';
  version: 4 | '4';
  gt: string;
  pageurl: string;
  api_server?: string;
}

/** GeeTest v4 as 2captcha sends it: `method=geetest_v4`, `captcha_id`. */
export interface GeetestV4NativeTask extends CommonTaskParams {
  method: 'geetest_v4';
  captcha_id: string;
  pageurl: string;
  risk_type?: string;
  api_server?: string;
}
