/** A reCAPTCHA v2 token task: same method and site key, a distinct page per task. */
export type RecaptchaBenchTask = {
  method: 'userrecaptcha';
  googlekey: string;
  pageurl: string;
};

/** An image task sent inline (`method=base64`): a distinct small image per task. */
export type ImageBenchTask = {
  method: 'base64';
  body: string;
};

/** One task of a benchmark's work, as every client submits it. */
export type BenchTask = RecaptchaBenchTask | ImageBenchTask;

/**
 * What a scenario's task list holds: only reCAPTCHA v2 (S1-S8), or reCAPTCHA v2 and image tasks
 * interleaved 1:1 (S9-S12, where the platform's workers of one type run out while the other's
 * do not).
 */
export type Workload = 'recaptcha' | 'mixed';

const SITE_KEY = '6Le-benchSiteKey-0123456789abcdefghij';
/** Decoded image size: above the service's 100-byte minimum (ERROR_ZERO_CAPTCHA_FILESIZE). */
const IMAGE_BYTES = 120;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

function recaptchaTask(i: number): RecaptchaBenchTask {
  return {
    method: 'userrecaptcha',
    googlekey: SITE_KEY,
    pageurl: `https://bench.example/page/${i}`,
  };
}

/**
 * A PNG-looking body of 120 bytes that carries the task's index, so no two image tasks are the
 * same task to the service (no duplicate submits) and the list is the same on every run.
 */
export function imageBody(i: number): string {
  const bytes = Buffer.alloc(IMAGE_BYTES);
  PNG_SIGNATURE.forEach((b, k) => (bytes[k] = b));
  bytes.writeUInt32BE(i >>> 0, PNG_SIGNATURE.length);
  for (let k = PNG_SIGNATURE.length + 4; k < IMAGE_BYTES; k++) bytes[k] = (i * 31 + k * 7) & 0xff;
  return bytes.toString('base64');
}

/**
 * `count` distinct tasks (distinct pages or images, so the simulator never counts a duplicate
 * submit). 'mixed': even indexes reCAPTCHA v2, odd indexes image; a task keeps its index's page
 * either way, so the 'recaptcha' list is exactly the list every earlier run used.
 */
export function benchTasks(count: number, workload: Workload = 'recaptcha'): BenchTask[] {
  return Array.from({ length: count }, (_, i) =>
    workload === 'mixed' && i % 2 === 1
      ? { method: 'base64' as const, body: imageBody(i) }
      : recaptchaTask(i),
  );
}
