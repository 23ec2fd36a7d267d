import { createHash } from 'node:crypto';

/**
 * Names the account a journal's tasks were sent with, without the key: 12 hex digits of a salted
 * SHA-256. Enough to tell two keys apart in a message; useless for finding the key.
 */
export function accountFingerprint(key: string): string {
  return createHash('sha256').update(`captchaai-journal-account:${key}`).digest('hex').slice(0, 12);
}
