import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidTaskError } from '../errors/invalid-task-error.js';
import { encodeSubmit } from './encode-request.js';
import { TASK_METHODS, type Task } from './tasks/task.js';
import { timingClass } from './timing-class.js';
import { validateTask } from './validate-task.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const PROXY = { proxy: 'user:pass@10.0.0.1:8080', proxytype: 'HTTP' };

/** A valid task per method variant, with the parameters that must be present. */
const EXAMPLES: readonly { name: string; task: Task; required: readonly string[] }[] = [
  {
    name: 'post',
    task: { method: 'post', file: PNG, numeric: 1, phrase: true },
    required: ['file'],
  },
  {
    name: 'base64',
    task: { method: 'base64', body: 'iVBORw0K', lang: 'en', min_len: 4 },
    required: ['body'],
  },
  {
    name: 'grid',
    task: {
      method: 'base64',
      body: 'iVBORw0K',
      recaptcha: 1,
      recaptcharows: 3,
      recaptchacols: 3,
      textinstructions: 'cars',
    },
    required: ['body'],
  },
  {
    name: 'recaptcha v2',
    task: {
      method: 'userrecaptcha',
      googlekey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
      pageurl: 'https://example.com/login',
      invisible: 1,
      enterprise: false,
      'data-s': 'abc',
      json_cookies: [{ domain: 'example.com', name: 'sid', value: '1', secure: true }],
    },
    required: ['googlekey', 'pageurl'],
  },
  {
    name: 'recaptcha v3',
    task: {
      method: 'userrecaptcha',
      version: 'v3',
      googlekey: 'k',
      pageurl: 'https://e.com',
      action: 'login',
      min_score: 0.7,
    },
    required: ['googlekey', 'pageurl'],
  },
  {
    name: 'turnstile',
    task: { method: 'turnstile', sitekey: '0x4AAA', pageurl: 'https://e.com', data: 'cdata' },
    required: ['sitekey', 'pageurl'],
  },
  {
    name: 'cloudflare_challenge',
    task: {
      method: 'cloudflare_challenge',
      pageurl: 'https://e.com',
      userAgent: 'Mozilla/5.0',
      ...PROXY,
    },
    required: ['pageurl', 'userAgent', 'proxy', 'proxytype'],
  },
  {
    name: 'geetest v3',
    task: {
      method: 'geetest',
      gt: 'f1ab',
      challenge: '12ab',
      pageurl: 'https://e.com',
      api_server: 'api.geetest.com',
    },
    required: ['gt', 'challenge', 'pageurl'],
  },
  {
    name: 'geetest v4 (geetest)',
    task: { method: 'geetest', version: 4, gt: 'e392', pageurl: 'https://e.com' },
    required: ['gt', 'pageurl'],
  },
  {
    name: 'geetest v4 (geetest_v4)',
    task: { method: 'geetest_v4', captcha_id: 'e392', pageurl: 'https://e.com' },
    required: ['captcha_id', 'pageurl'],
  },
  {
    name: 'hcaptcha',
    task: { method: 'hcaptcha', sitekey: 's', pageurl: 'https://e.com', invisible: true },
    required: ['sitekey', 'pageurl'],
  },
  {
    name: 'captchafox',
    task: { method: 'captchafox', sitekey: 'sk_x', pageurl: 'https://e.com', ...PROXY },
    required: ['sitekey', 'pageurl', 'proxy', 'proxytype'],
  },
  {
    name: 'friendly_captcha',
    task: { method: 'friendly_captcha', sitekey: 'FC', pageurl: 'https://e.com' },
    required: ['sitekey', 'pageurl'],
  },
  {
    name: 'lemin',
    task: {
      method: 'lemin',
      captcha_id: 'CROPPED_1',
      div_id: 'lemin-cropped',
      pageurl: 'https://e.com',
    },
    required: ['captcha_id', 'div_id', 'pageurl'],
  },
  { name: 'bls', task: { method: 'bls', body: 'aGVsbG8=', instructions: '123' }, required: [] },
];

function rejects(task: unknown, parameter: string, pattern: RegExp): void {
  assert.throws(
    () => validateTask(task),
    (error: unknown) => {
      assert.ok(error instanceof InvalidTaskError);
      assert.equal(error.parameter, parameter);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

void describe('validateTask: every method', () => {
  void test('the examples cover every known method', () => {
    assert.deepEqual(
      [...new Set(EXAMPLES.map((e) => e.task.method))].sort(),
      [...TASK_METHODS].sort(),
    );
  });

  for (const { name, task, required } of EXAMPLES) {
    void test(`${name}: a valid task passes and is returned as is`, () => {
      assert.equal(validateTask(task), task);
    });

    for (const parameter of required) {
      void test(`${name}: missing "${parameter}" is named`, () => {
        const { [parameter]: _dropped, ...rest }: Record<string, unknown> = { ...task };
        rejects(
          rest,
          parameter,
          new RegExp(`${task.method} task is missing required parameter "${parameter}"`),
        );
        rejects({ ...task, [parameter]: '' }, parameter, /missing required parameter/);
        rejects({ ...task, [parameter]: null }, parameter, /missing required parameter/);
      });
    }

    void test(`${name}: unknown extras pass through to the encoded params unchanged`, () => {
      const extended = {
        ...task,
        future_param: 'x|y z',
        soft_id: 1234,
        pingback: 'https://cb.example/p',
      };
      assert.equal(validateTask(extended), extended);
      const { params } = encodeSubmit(extended, 'KEY');
      assert.equal(params['future_param'], 'x|y z');
      assert.equal(params['soft_id'], '1234');
      assert.equal(params['pingback'], 'https://cb.example/p');
      assert.equal(params['method'], task.method);
    });
  }
});

void describe('timingClass', () => {
  void test('image, token and challenge classes', () => {
    const classes = Object.fromEntries(EXAMPLES.map((e) => [e.name, timingClass(e.task)]));
    assert.deepEqual(classes, {
      post: 'image',
      base64: 'image',
      grid: 'image',
      'recaptcha v2': 'token',
      'recaptcha v3': 'token',
      turnstile: 'token',
      cloudflare_challenge: 'challenge',
      'geetest v3': 'token',
      'geetest v4 (geetest)': 'token',
      'geetest v4 (geetest_v4)': 'token',
      hcaptcha: 'token',
      captchafox: 'token',
      friendly_captcha: 'token',
      lemin: 'token',
      bls: 'image',
    });
    assert.equal(timingClass({ method: 'funcaptcha' }), 'token');
  });
});

void test('a missing parameter names a given one that looks like it mistyped', () => {
  assert.throws(
    () => validateTask({ method: 'turnstile', sitekye: 'x', pageurl: 'https://a.test' }),
    (e: unknown) =>
      e instanceof InvalidTaskError &&
      e.parameter === 'sitekey' &&
      e.message ===
        'turnstile task is missing required parameter "sitekey" (given "sitekye": did you mean "sitekey"?)',
  );
  assert.throws(
    () => validateTask({ method: 'turnstile', pageurl: 'https://a.test', action: 'login' }),
    (e: unknown) =>
      e instanceof InvalidTaskError &&
      e.message === 'turnstile task is missing required parameter "sitekey"',
  );
});
