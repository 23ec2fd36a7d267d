import type { ParamKind } from './param-checks.js';

/** What a known method needs. */
export interface TaskRule {
  /** Each entry must be present; a list means "at least one of these". */
  required: readonly (string | readonly string[])[];
  /** The expected shape of each known parameter, checked when it is present. */
  kinds: Readonly<Record<string, ParamKind>>;
}

const COMMON: Readonly<Record<string, ParamKind>> = {
  soft_id: 'id',
  pingback: 'text',
  header_acao: 'flag',
  proxy: 'text',
  proxytype: 'text',
};

const IMAGE: Readonly<Record<string, ParamKind>> = {
  ...COMMON,
  phrase: 'flag',
  regsense: 'flag',
  numeric: 'number',
  calc: 'flag',
  min_len: 'number',
  max_len: 'number',
  language: 'number',
  lang: 'text',
  module: 'text',
  textinstructions: 'text',
  imginstructions: 'text',
  recaptcha: 'flag',
  recaptcharows: 'number',
  recaptchacols: 'number',
  can_no_answer: 'flag',
  previousID: 'id',
};

const SITE: Readonly<Record<string, ParamKind>> = { ...COMMON, sitekey: 'text', pageurl: 'text' };

const GEETEST_KINDS: Readonly<Record<string, ParamKind>> = {
  ...COMMON,
  gt: 'text',
  challenge: 'text',
  pageurl: 'text',
  api_server: 'text',
  version: 'id',
};

const RULES: Readonly<Record<string, TaskRule>> = {
  post: { required: ['file'], kinds: { ...IMAGE, file: 'file' } },
  base64: { required: ['body'], kinds: { ...IMAGE, body: 'text' } },
  userrecaptcha: {
    required: ['googlekey', 'pageurl'],
    kinds: {
      ...COMMON,
      googlekey: 'text',
      pageurl: 'text',
      version: 'text',
      enterprise: 'flag',
      domain: 'text',
      invisible: 'flag',
      'data-s': 'text',
      cookies: 'text',
      json_cookies: 'cookies',
      userAgent: 'text',
      action: 'text',
      min_score: 'number',
    },
  },
  turnstile: {
    required: ['sitekey', 'pageurl'],
    kinds: { ...SITE, action: 'text', data: 'text', pagedata: 'text', userAgent: 'text' },
  },
  cloudflare_challenge: {
    required: ['pageurl', 'userAgent', 'proxy', 'proxytype'],
    kinds: { ...COMMON, pageurl: 'text', userAgent: 'text' },
  },
  geetest: { required: ['gt', 'challenge', 'pageurl'], kinds: GEETEST_KINDS },
  geetest_v4: {
    required: ['captcha_id', 'pageurl'],
    kinds: {
      ...COMMON,
      captcha_id: 'text',
      pageurl: 'text',
      risk_type: 'text',
      api_server: 'text',
    },
  },
  hcaptcha: {
    required: ['sitekey', 'pageurl'],
    kinds: { ...SITE, invisible: 'flag', data: 'text', userAgent: 'text', domain: 'text' },
  },
  captchafox: {
    required: ['sitekey', 'pageurl', 'proxy', 'proxytype'],
    kinds: { ...SITE, userAgent: 'text' },
  },
  friendly_captcha: { required: ['sitekey', 'pageurl'], kinds: SITE },
  lemin: {
    required: ['captcha_id', 'div_id', 'pageurl'],
    kinds: { ...COMMON, captcha_id: 'text', div_id: 'text', pageurl: 'text', api_server: 'text' },
  },
  bls: {
    required: [['body', 'instructions']],
    kinds: { ...COMMON, body: 'text', instructions: 'text' },
  },
};

/** GeeTest v4 in its `method=geetest` form: `gt` holds the captcha_id and there is no challenge. */
const GEETEST_V4: TaskRule = { required: ['gt', 'pageurl'], kinds: GEETEST_KINDS };

/** The rule for a task's method (and variant), or undefined for a method this library does not know. */
export function ruleFor(task: Readonly<Record<string, unknown>>): TaskRule | undefined {
  const method = task['method'];
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(RULES, method))
    return undefined;
  if (method === 'geetest' && isVersion4(task['version'])) return GEETEST_V4;
  return RULES[method];
}

function isVersion4(version: unknown): boolean {
  return typeof version === 'number'
    ? version === 4
    : typeof version === 'string' && /^v?4$/i.test(version.trim());
}
