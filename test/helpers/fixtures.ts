// Task values the CLI tests share. The googlekey is Google's public test key (and matches the
// simulator's googlekey format check).
export const GOOGLEKEY = '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-';
export const PAGE = 'https://example.com/login';
export const UA = 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0';
/** Poll fast: with the simulator's timeScale 0.01 a token solve takes a few hundred ms. */
export const FAST = ['--first-poll-delay', '50', '--poll-interval', '50'];

/** `{a: '1'}` → `['--a', '1']`: the task as `captchaai solve` flags. */
export function taskFlags(params: Record<string, string>): string[] {
  return Object.entries(params).flatMap(([name, value]) => [`--${name}`, value]);
}
