import type { CommonTaskParams } from './common.js';

/** Cloudflare Turnstile widget. */
export interface TurnstileTask extends CommonTaskParams {
  method: 'turnstile';
  sitekey: string;
  pageurl: string;
  action?: string;
  /** The widget's `cData`. */
  data?: string;
  /** The widget's `chlPageData`. */
  pagedata?: string;
  userAgent?: string;
}

/**
 * The Cloudflare interstitial page. The answer is a `cf_clearance` cookie valid only for this
 * user agent and the proxy's IP, hence all four parameters are required (confirmed live).
 */
export interface CloudflareChallengeTask extends CommonTaskParams {
  method: 'cloudflare_challenge';
  pageurl: string;
  userAgent: string;
  proxy: string;
  proxytype: string;
}
