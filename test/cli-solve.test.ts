// `captchaai solve` against the simulator over loopback HTTP, for every method and both
// profiles: the CLI is a real child process, the answer must be the simulator's own.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { FAST, GOOGLEKEY, PAGE, taskFlags, UA } from './helpers/fixtures.js';
import { makePng } from './helpers/png.js';
import {
  assertNoKeyLeak,
  SECRET_KEY,
  startTestSimulator,
  type TestSimulator,
} from './helpers/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-cli-'));
// At exit rather than in an after() hook: node 20 may run an outer after() while concurrent
// inner suites are still running.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const png = makePng(24, 12, 7);
const pngPath = join(dir, 'captcha.png');
writeFileSync(pngPath, png);
const gridPng = makePng(30, 30, 11);
const gridPath = join(dir, 'grid.png');
writeFileSync(gridPath, gridPng);
const blsImage = makePng(8, 8, 3).toString('base64');

interface Case {
  name: string;
  /** The task as the service receives it: what the expected answer is computed from. */
  params: Record<string, string>;
  /** CLI arguments; by default every param as `--name value`. */
  args?: string[];
  /** The uploaded bytes, for method=post. */
  file?: Uint8Array;
  check?: (extra: Record<string, unknown>, profile: string) => void;
}

const CASES: Case[] = [
  {
    name: 'post (multipart PNG from --file)',
    params: { method: 'post' },
    args: ['--method', 'post', '--file', pngPath],
    file: png,
  },
  {
    name: 'base64 (--file encoded)',
    params: { method: 'base64', body: png.toString('base64') },
    args: ['--method', 'base64', '--file', pngPath, '--numeric', '4'],
  },
  {
    name: 'base64 (--body)',
    params: { method: 'base64', body: png.toString('base64'), min_len: '4', max_len: '5' },
  },
  {
    name: 'reCAPTCHA v2 with unknown and JSON parameters passed through',
    params: {
      method: 'userrecaptcha',
      googlekey: GOOGLEKEY,
      pageurl: PAGE,
      'data-s': 'S-VALUE',
      json_cookies: JSON.stringify([
        { domain: 'example.com', name: 'sid', value: 'abc', secure: true },
      ]),
      some_future_param: 'x',
    },
    check: (extra) =>
      assert.deepEqual(extra['cookies'], [
        { domain: 'example.com', name: 'sid', value: 'abc', secure: true },
      ]),
  },
  {
    name: 'reCAPTCHA v2 invisible + enterprise',
    params: {
      method: 'userrecaptcha',
      googlekey: GOOGLEKEY,
      pageurl: PAGE,
      invisible: '1',
      enterprise: '1',
    },
  },
  {
    name: 'reCAPTCHA v3',
    params: {
      method: 'userrecaptcha',
      version: 'v3',
      googlekey: GOOGLEKEY,
      pageurl: PAGE,
      action: 'login',
      min_score: '0.3',
    },
  },
  {
    name: 'turnstile',
    params: { method: 'turnstile', sitekey: '0x4AAAAAAAC3DHQFLr1GavRN', pageurl: PAGE },
    check: (extra, profile) => {
      if (profile === '2captcha') assert.equal(typeof extra['useragent'], 'string');
    },
  },
  {
    name: 'cloudflare_challenge (user_agent in extra)',
    params: {
      method: 'cloudflare_challenge',
      pageurl: PAGE,
      userAgent: UA,
      proxy: 'user:pass@10.0.0.1:3128',
      proxytype: 'HTTP',
    },
    check: (extra) => assert.equal(extra['user_agent'], UA),
  },
  {
    name: 'geetest v3',
    params: {
      method: 'geetest',
      gt: '022397c99c9f646f6477822485f30404',
      challenge: 'a66f31a53a0b9e5d0c2f7c1b4c3e8d21',
      pageurl: PAGE,
    },
  },
  {
    name: 'geetest v4 (method=geetest, version=4)',
    params: {
      method: 'geetest',
      version: '4',
      gt: 'e392e1d7fd421dc63325744d5a2b9c73',
      pageurl: PAGE,
    },
  },
  {
    name: 'geetest v4 (method=geetest_v4)',
    params: { method: 'geetest_v4', captcha_id: 'e392e1d7fd421dc63325744d5a2b9c73', pageurl: PAGE },
  },
  {
    name: 'hcaptcha',
    params: { method: 'hcaptcha', sitekey: '10000000-ffff-ffff-ffff-000000000001', pageurl: PAGE },
  },
  {
    name: 'captchafox',
    params: {
      method: 'captchafox',
      sitekey: 'sk_vKdD8WGlPF5FKpRDs1U4qTuu6Jv0w',
      pageurl: PAGE,
      proxy: '10.0.0.2:8080',
      proxytype: 'HTTPS',
      userAgent: UA,
    },
    check: (extra) => assert.equal(extra['user_agent'], UA),
  },
  {
    name: 'friendly_captcha',
    params: { method: 'friendly_captcha', sitekey: 'FCMST5VUMCBOCGQ9', pageurl: PAGE },
  },
  {
    name: 'lemin',
    params: {
      method: 'lemin',
      captcha_id: 'CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b',
      div_id: 'lemin-cropped-captcha',
      pageurl: PAGE,
    },
  },
  { name: 'bls', params: { method: 'bls', body: blsImage } },
  {
    name: 'grid (post with recaptcha=1)',
    params: {
      method: 'post',
      recaptcha: '1',
      recaptcharows: '3',
      recaptchacols: '3',
      textinstructions: 'Select all images with buses',
    },
    args: [
      '--method',
      'post',
      '--file',
      gridPath,
      '--recaptcha',
      '1',
      '--recaptcharows',
      '3',
      '--recaptchacols',
      '3',
      '--textinstructions',
      'Select all images with buses',
    ],
    file: gridPng,
  },
];

interface SolveResultJson {
  taskId: string;
  solution: unknown;
  extra: Record<string, unknown>;
  elapsedMs: number;
}

// Children spend most of their life starting up (node + tsx), so the suites run side by side.
describe('captchaai solve', { concurrency: true }, () => {
  for (const profile of ['captchaai', '2captcha'] as const) {
    describe(`every method, ${profile} profile`, { concurrency: 3 }, () => {
      let target: TestSimulator;
      before(async () => {
        target = await startTestSimulator({ profile });
      });
      after(async () => {
        await target.close();
      });

      for (const c of CASES) {
        test(c.name, async () => {
          const args = [
            'solve',
            ...(c.args ?? taskFlags(c.params)),
            '--json',
            '--base-url',
            target.url,
            '--profile',
            profile,
            ...FAST,
          ];
          const run = await runCli(args, { env: { CAPTCHAAI_KEY: SECRET_KEY } });
          assertNoKeyLeak(run, c.name);
          assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
          const result = JSON.parse(run.stdout) as SolveResultJson;
          assert.match(result.taskId, /^\d+$/);
          assert.equal(typeof result.elapsedMs, 'number');
          assert.deepEqual(result.solution, target.sim.expectedAnswer(c.params, c.file));
          c.check?.(result.extra, profile);
        });
      }
    });
  }
});
