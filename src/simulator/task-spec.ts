import type { ApiFile } from '../transport/types.js';
import { imageFromBase64, imageFromFile, type ImageResult } from './image.js';
import type { ResolvedSimulatorOptions, SolveCategory } from './options.js';

/** What the simulator solves; several wire methods can map to one kind. */
export type TaskKind =
  | 'image'
  | 'grid'
  | 'recaptchaV2'
  | 'recaptchaV3'
  | 'turnstile'
  | 'cloudflareChallenge'
  | 'geetestV3'
  | 'geetestV4'
  | 'hcaptcha'
  | 'captchafox'
  | 'friendlyCaptcha'
  | 'lemin'
  | 'bls';

/** A submit that passed validation. */
export interface TaskSpec {
  kind: TaskKind;
  category: SolveCategory;
  params: Record<string, string>;
  /** The image bytes of image-like tasks (decoded base64 or the uploaded file). */
  image?: Uint8Array;
}

export type SpecResult = { spec: TaskSpec } | { error: string };

type Params = Record<string, string>;
type Limits = Pick<ResolvedSimulatorOptions, 'imageMinBytes' | 'imageMaxBytes' | 'checkImageType'>;

const IMAGE_METHODS = new Set(['post', 'base64']);
const GOOGLEKEY = /^[A-Za-z0-9_-]{20,}$/;
const PROXY = /^(?:[^:@\s]+:[^@\s]*@)?[^:@\s]+:\d{1,5}$/;
const PROXY_TYPES = new Set(['HTTP', 'HTTPS', 'SOCKS4', 'SOCKS5']);

/** True for methods `/solve.php` accepts (image tasks only). */
export function isImageMethod(method: string | undefined): boolean {
  return method !== undefined && IMAGE_METHODS.has(method);
}

/** The first missing (absent or empty) parameter's code, in the order given. */
function missing(p: Params, checks: Array<[name: string, code: string]>): string | undefined {
  for (const [name, code] of checks) if (!p[name]) return code;
  return undefined;
}

/** Proxy fields, when sent, must be well formed (docs/protocol.md, "Proxy fields"). */
function proxyError(p: Params, required: boolean): string | undefined {
  if (required) {
    const m = missing(p, [
      ['proxy', 'ERROR_BAD_PARAMETERS'],
      ['proxytype', 'ERROR_BAD_PARAMETERS'],
    ]);
    if (m) return m;
  }
  if (p.proxy !== undefined && !PROXY.test(p.proxy)) return 'ERROR_BAD_PARAMETERS';
  if (p.proxytype !== undefined && !PROXY_TYPES.has(p.proxytype.toUpperCase())) {
    return 'ERROR_BAD_PARAMETERS';
  }
  return undefined;
}

function withImage(kind: TaskKind, category: SolveCategory, p: Params, r: ImageResult): SpecResult {
  return 'error' in r ? r : { spec: { kind, category, params: p, image: r.bytes } };
}

function token(kind: TaskKind, category: SolveCategory, p: Params, err?: string): SpecResult {
  return err ? { error: err } : { spec: { kind, category, params: p } };
}

function recaptcha(p: Params): SpecResult {
  if (!p.googlekey) return { error: 'ERROR_WRONG_GOOGLEKEY' };
  if (!GOOGLEKEY.test(p.googlekey)) return { error: 'ERROR_GOOGLEKEY' };
  if (!p.pageurl) return { error: 'ERROR_PAGEURL' };
  if (p.json_cookies !== undefined && !Array.isArray(safeJson(p.json_cookies))) {
    return { error: 'ERROR_BAD_PARAMETERS' };
  }
  const v3 = p.version === 'v3' || p.version === '3';
  return token(
    v3 ? 'recaptchaV3' : 'recaptchaV2',
    v3 ? 'recaptchaV3' : 'recaptchaV2',
    p,
    proxyError(p, false),
  );
}

function bls(p: Params, limits: Limits): SpecResult {
  const body = p.body ?? p.image_base64_1;
  return withImage('bls', 'other', p, imageFromBase64(body, { ...limits, imageMinBytes: 1 }));
}

/**
 * Validates an in.php (or solve.php) submit the way the service documents it
 * (docs/protocol.md, "Submit validation"):
 * ERROR_PAGEURL, ERROR_WRONG_GOOGLEKEY / ERROR_GOOGLEKEY, ERROR_UPLOAD and the _FILESIZE codes,
 * ERROR_WRONG_FILE_EXTENSION, and ERROR_BAD_PARAMETERS for anything else missing or unknown.
 * Unknown extra parameters are ignored.
 */
export function parseTask(p: Params, file: ApiFile | undefined, limits: Limits): SpecResult {
  const page: [string, string] = ['pageurl', 'ERROR_PAGEURL'];
  const bad = (name: string): [string, string] => [name, 'ERROR_BAD_PARAMETERS'];
  switch (p.method) {
    case 'post':
    case 'base64': {
      const grid = p.recaptcha === '1';
      const image =
        p.method === 'post' ? imageFromFile(file, limits) : imageFromBase64(p.body, limits);
      return withImage(grid ? 'grid' : 'image', grid ? 'other' : 'image', p, image);
    }
    case 'userrecaptcha':
      return recaptcha(p);
    case 'turnstile':
      return token('turnstile', 'turnstile', p, missing(p, [bad('sitekey'), page]));
    case 'hcaptcha':
      return token(
        'hcaptcha',
        'hcaptcha',
        p,
        missing(p, [bad('sitekey'), page]) ?? proxyError(p, false),
      );
    case 'cloudflare_challenge':
      return token(
        'cloudflareChallenge',
        'cloudflareChallenge',
        p,
        missing(p, [page, bad('userAgent')]) ?? proxyError(p, true),
      );
    case 'geetest':
      if (p.version === '4') return token('geetestV4', 'geetest', p, missing(p, [bad('gt'), page]));
      return token('geetestV3', 'geetest', p, missing(p, [bad('gt'), bad('challenge'), page]));
    case 'geetest_v4':
      return token('geetestV4', 'geetest', p, missing(p, [bad('captcha_id'), page]));
    case 'captchafox':
      return token(
        'captchafox',
        'other',
        p,
        missing(p, [bad('sitekey'), page]) ?? proxyError(p, true),
      );
    case 'friendly_captcha':
      return token('friendlyCaptcha', 'other', p, missing(p, [bad('sitekey'), page]));
    case 'lemin':
      return token('lemin', 'other', p, missing(p, [bad('captcha_id'), page]));
    case 'bls':
      return bls(p, limits);
    default:
      return { error: 'ERROR_BAD_PARAMETERS' };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses `json_cookies` after validation accepted it. */
export function parseJsonCookies(text: string | undefined): unknown[] | undefined {
  const v = text === undefined ? undefined : safeJson(text);
  return Array.isArray(v) ? v : undefined;
}
