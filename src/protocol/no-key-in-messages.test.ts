import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiEndpoint } from '../errors/api-error.js';
import type { ApiResponse } from '../transport/types.js';
import { encodeGet, encodeSubmit } from './encode-request.js';
import { parseAnswer, parseAnswerOrThrow } from './parse-answer.js';
import { parseGetMany } from './parse-get-many.js';
import { parseThreadsInfoResponse } from './parse-threads-info.js';
import { validateTask } from './validate-task.js';

const KEY = 'k3y0000000000000000000000000SECRET';

/** Everything a user could see of an error: message, stack, and every own field. */
function visible(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return [error.message, error.stack ?? '', JSON.stringify({ ...error })].join('\n');
}

void test('no parse error, thrown or returned, carries the key, even when the service echoes it', () => {
  const submit = encodeSubmit(
    validateTask({ method: 'turnstile', sitekey: 's', pageurl: 'https://e.com' }),
    KEY,
  );
  const poll = encodeGet('123', KEY);
  const url = `https://ocr.captchaai.com/in.php?${new URLSearchParams(submit.params).toString()}`;
  assert.ok(url.includes(KEY));
  const bodies = [
    `<!DOCTYPE html><html><body>502 Bad Gateway for ${url}</body></html>`,
    `<html><p>${new URLSearchParams(poll.params).toString()}</p></html>`,
    `Unknown key ${KEY}`,
    `{"status":0,"request":"ERROR_KEY_DOES_NOT_EXIST","error_text":"Key ${KEY} does not exist"}`,
    `{"status":0,"request":"key ${KEY} is wrong"}`,
    `{"status":1,"request":"${KEY}`,
    `{"status":"x","key":"${KEY}"}`,
    `${KEY}|${KEY}`,
  ];
  const seen: string[] = [];
  const collect = (fn: () => unknown): void => {
    try {
      const result = fn();
      if (
        typeof result === 'object' &&
        result !== null &&
        'kind' in result &&
        result.kind === 'error'
      ) {
        seen.push(JSON.stringify(result));
      }
    } catch (error) {
      seen.push(visible(error));
    }
  };
  for (const body of bodies) {
    for (const status of [200, 500, 429]) {
      const response: ApiResponse = { status, headers: { 'retry-after': KEY }, body };
      for (const endpoint of ['in.php', 'res.php', 'solve.php'] as ApiEndpoint[]) {
        collect(() => parseAnswer(response, endpoint, 0));
        collect(() => parseAnswerOrThrow(response, endpoint, 0));
      }
      collect(() => parseGetMany(response, ['1', '2'], 0));
      collect(() => parseThreadsInfoResponse(response, 0));
    }
  }
  // Every combination fails except the 200 batch poll of `KEY|KEY`, which is two answers.
  assert.equal(seen.length, bodies.length * 3 * 8 - 1);
  for (const text of seen) {
    assert.ok(!text.includes(KEY), text);
    assert.ok(!text.includes('SECRET'), text);
  }
  // The redacted error_text is still there, so the check above is not vacuous.
  assert.ok(seen.some((text) => text.includes('Key [redacted] does not exist')));
});

void test('validation messages name parameters, not values', () => {
  assert.throws(
    () => validateTask({ method: 'userrecaptcha', googlekey: KEY, pageurl: 5 }),
    (error: unknown) => !visible(error).includes(KEY),
  );
});
