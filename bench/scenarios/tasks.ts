/** The reCAPTCHA v2 task every client submits: same method, a distinct page per task. */
export type BenchTask = {
  method: 'userrecaptcha';
  googlekey: string;
  pageurl: string;
};

const SITE_KEY = '6Le-benchSiteKey-0123456789abcdefghij';

/** `count` distinct tasks (distinct pages, so the simulator never counts a duplicate submit). */
export function benchTasks(count: number): BenchTask[] {
  return Array.from({ length: count }, (_, i) => ({
    method: 'userrecaptcha' as const,
    googlekey: SITE_KEY,
    pageurl: `https://bench.example/page/${i}`,
  }));
}
