import type { PlatformType } from './options.js';
import { isImageMethod, parseTask } from './task-spec.js';

/** Every CAPTCHA type the platform knows (the solve categories), in a fixed order. */
const TYPES: Readonly<Record<PlatformType, true>> = Object.freeze({
  image: true,
  recaptchaV2: true,
  recaptchaV3: true,
  turnstile: true,
  cloudflareChallenge: true,
  geetest: true,
  hcaptcha: true,
  other: true,
});

/**
 * The platform's CAPTCHA types. The order is fixed because each type's burst stream is derived
 * from its position: adding a type must not reshuffle the others' bursts.
 */
export const PLATFORM_TYPES: readonly PlatformType[] = Object.freeze(
  Object.keys(TYPES) as PlatformType[],
);

export function isPlatformType(name: unknown): name is PlatformType {
  return typeof name === 'string' && Object.hasOwn(TYPES, name);
}

/** Limits loose enough that only the parameters decide the type, never image bytes. */
const ANY_IMAGE = { imageMinBytes: 0, imageMaxBytes: Infinity, checkImageType: false };

/**
 * The CAPTCHA type the simulator gives a submit with these parameters, so a benchmark can match
 * its tasks against the platform's capacity per type. Image methods need no bytes (the type does
 * not depend on them); other invalid parameters give undefined.
 */
export function platformTypeOf(params: Record<string, string>): PlatformType | undefined {
  if (isImageMethod(params.method)) return params.recaptcha === '1' ? 'other' : 'image';
  const parsed = parseTask(params, undefined, ANY_IMAGE);
  return 'spec' in parsed ? parsed.spec.category : undefined;
}
