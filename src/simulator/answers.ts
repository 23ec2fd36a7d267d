import { createHash } from 'node:crypto';
import type { ApiFile } from '../transport/types.js';
import { decodeBase64 } from './image.js';
import type { ResolvedSimulatorOptions, SimulatorProfile } from './options.js';
import { parseJsonCookies, parseTask, type TaskSpec } from './task-spec.js';

/**
 * A solved task's answer in both wire forms. Answers are pure functions of the task's
 * parameters, so a test can check any answer from the task alone (`expectedAnswer`).
 */
export interface Answer {
  /** After `OK|` in text mode; also the item of a batch poll and the pingback `code`. */
  text: string;
  /** The JSON `request` value. */
  json: string | Record<string, unknown>;
  /** Extra top-level JSON fields: `user_agent`, `useragent`, `cookies`. */
  extras?: Record<string, unknown>;
}

/** The UA a worker reports when the task did not name one. */
export const WORKER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** SHA-256 hex of the parts, NUL-separated so ('ab','c') and ('a','bc') differ. */
export function hashHex(...parts: Array<string | Uint8Array | undefined>): string {
  const h = createHash('sha256');
  for (const part of parts) {
    h.update(part ?? '');
    h.update('\0');
  }
  return h.digest('hex');
}

function pick(hex: string, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const byte = parseInt(hex.slice((i * 2) % 64, ((i * 2) % 64) + 2), 16) + i;
    out += alphabet[byte % alphabet.length] ?? '';
  }
  return out;
}

function imageText(bytes: Uint8Array | undefined, p: Record<string, string>): string {
  const hex = hashHex('image', bytes);
  const alphabet =
    p.numeric === '1' || p.calc === '1'
      ? '0123456789'
      : p.numeric === '2'
        ? 'abcdefghijklmnopqrstuvwxyz'
        : 'abcdefghijklmnopqrstuvwxyz0123456789';
  const min = clampLen(p.min_len);
  const max = clampLen(p.max_len);
  let length = Math.max(6, min ?? 0);
  if (max !== undefined && max > 0) length = Math.min(length, max);
  return pick(hex, alphabet, Math.max(1, length));
}

function clampLen(v: string | undefined): number | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 20) : undefined;
}

/** Three distinct 1-based cells of a rows×cols grid, ascending. */
function cells(hex: string, count: number): number[] {
  const chosen = new Set<number>();
  for (let i = 0; chosen.size < Math.min(3, count) && i < 32; i++) {
    chosen.add((parseInt(hex.slice(i * 2, i * 2 + 2), 16) % count) + 1);
  }
  return [...chosen].sort((a, b) => a - b);
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function structured(obj: Record<string, string>, textKeys?: Record<string, string>): Answer {
  const text = Object.entries(obj)
    .map(([k, v]) => `${textKeys?.[k] ?? k}:${v}`)
    .join(',');
  return { text, json: obj };
}

function tokenAnswer(prefix: string, key: string | undefined, pageurl: string | undefined): Answer {
  const value = prefix + hashHex(key, pageurl);
  return { text: value, json: value };
}

/** The answer the simulator gives for a validated task. */
export function answerFor(spec: TaskSpec, profile: SimulatorProfile): Answer {
  const p = spec.params;
  const ua = p.userAgent ?? WORKER_USER_AGENT;
  switch (spec.kind) {
    case 'image': {
      const text = imageText(spec.image, p);
      return { text, json: text };
    }
    case 'grid': {
      const rows = Number(p.recaptcharows) || 3;
      const cols = Number(p.recaptchacols) || 3;
      const text = `click:${cells(hashHex('grid', spec.image), rows * cols).join('/')}`;
      return { text, json: text };
    }
    case 'bls': {
      const text = cells(hashHex('bls', spec.image), 9).join(',');
      return { text, json: text };
    }
    case 'recaptchaV2':
    case 'recaptchaV3': {
      // "03A" + hash(googlekey, pageurl): the form the brief promises tests.
      const answer = tokenAnswer('03A', p.googlekey, p.pageurl);
      const cookies = parseJsonCookies(p.json_cookies);
      return cookies ? { ...answer, extras: { cookies } } : answer;
    }
    case 'turnstile':
    case 'hcaptcha': {
      const answer = tokenAnswer(spec.kind === 'turnstile' ? '0.' : 'P1_', p.sitekey, p.pageurl);
      // 2captcha's JSON adds the worker's UA (lower-case key) to these two.
      return profile === '2captcha' ? { ...answer, extras: { useragent: ua } } : answer;
    }
    case 'friendlyCaptcha':
      return tokenAnswer('FC.', p.sitekey, p.pageurl);
    case 'captchafox':
      return { ...tokenAnswer('CFX.', p.sitekey, p.pageurl), extras: { user_agent: ua } };
    case 'cloudflareChallenge': {
      const hex = hashHex('cf', p.pageurl, p.userAgent, p.proxy);
      const value = `${hex.slice(0, 43)}-1-1.0.1.1-${hex.slice(43, 63)}`;
      return { text: value, json: value, extras: { user_agent: ua } };
    }
    case 'geetestV3': {
      const hex = hashHex('geetest', p.gt, p.challenge);
      const validate = hex.slice(0, 32);
      return structured(
        {
          geetest_challenge: p.challenge ?? '',
          geetest_validate: validate,
          geetest_seccode: `${validate}|jordan`,
        },
        // The blog's text form: challenge:..,validate:..,seccode:..
        {
          geetest_challenge: 'challenge',
          geetest_validate: 'validate',
          geetest_seccode: 'seccode',
        },
      );
    }
    case 'geetestV4': {
      const id = p.captcha_id ?? p.gt ?? '';
      const hex = hashHex('geetest4', id, p.pageurl);
      return structured({
        captcha_id: id,
        lot_number: hex.slice(0, 32),
        pass_token: hex.slice(32, 64),
        gen_time: String(1_700_000_000 + (parseInt(hex.slice(0, 6), 16) % 10_000_000)),
        captcha_output: hashHex('output', hex),
      });
    }
    case 'lemin': {
      const hex = hashHex('lemin', p.captcha_id, p.pageurl);
      return structured({ answer: `0x${hex.slice(0, 40)}`, challenge_uuid: uuid(hex.slice(24)) });
    }
  }
}

/**
 * The JSON `request` value the simulator answers for these task parameters. For `method=post`
 * the file's bytes come from `file`, or base64 in `body`. Throws with the validation code.
 */
export function expectedAnswer(
  params: Record<string, string>,
  file: Uint8Array | undefined,
  options: ResolvedSimulatorOptions,
): string | Record<string, unknown> {
  let data = file;
  if (params.method === 'post' && !data && params.body) data = decodeBase64(params.body);
  const upload: ApiFile | undefined = data
    ? { field: 'file', filename: 'captcha.png', contentType: 'image/png', data }
    : undefined;
  const parsed = parseTask(params, upload, options);
  if ('error' in parsed) throw new Error(`invalid task: ${parsed.error}`);
  return answerFor(parsed.spec, options.profile).json;
}
