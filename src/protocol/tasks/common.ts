/**
 * Parameters every task type may carry, under the service's own wire names so that the docs of
 * CaptchaAI and 2captcha apply unchanged. Booleans are sent as `1`/`0`, numbers as decimals.
 */
export interface CommonTaskParams {
  /** Software developer id. */
  soft_id?: number | string;
  /**
   * URL the service calls when the task is solved; the solver polls as usual all the same
   * (docs/protocol.md, "Pingback").
   */
  pingback?: string;
  /** Ask for `Access-Control-Allow-Origin: *` on the answer. */
  header_acao?: boolean | 0 | 1;
  /** `IP:PORT` or `login:password@IP:PORT`. */
  proxy?: string;
  /** `HTTP`, `HTTPS`, `SOCKS4` or `SOCKS5`. */
  proxytype?: string;
}

/** A 0/1 switch; `true`/`false` are accepted for convenience. */
export type Flag = boolean | 0 | 1;
