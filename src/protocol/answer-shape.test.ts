import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerShapeProblem } from './answer-shape.js';

test('a token method refuses an image answer, an empty one and an object', () => {
  assert.match(answerShapeProblem('userrecaptcha', '428901') ?? '', /digits only/);
  assert.match(answerShapeProblem('turnstile', ' ') ?? '', /empty/);
  assert.match(answerShapeProblem('hcaptcha', { a: '1' }) ?? '', /not a token/);
  assert.equal(answerShapeProblem('userrecaptcha', '03AGdBq24PBCbwiDRaS_MJ7Z'), undefined);
});

test('GeeTest answers a set of values; image and unknown methods are not judged', () => {
  assert.match(answerShapeProblem('geetest', '03AGdBq2') ?? '', /set of values/);
  assert.equal(answerShapeProblem('geetest_v4', { lot_number: 'x' }), undefined);
  assert.equal(answerShapeProblem('post', '428901'), undefined);
  assert.equal(answerShapeProblem('some_new_method', ''), undefined);
});
