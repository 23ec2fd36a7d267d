import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../time/random.js';
import { formEncode } from './form-encode.js';

const ALPHABET = [
  ...'abcXYZ019 *-._~!\'()&=+%/?:#@,;$[]"<>\\^`{|}\t\n',
  'é',
  'Ω',
  '€',
  '😀',
  '\ud800',
  '\udfff',
  '\u0000',
];

test('formEncode matches URLSearchParams byte for byte', () => {
  const random = seededRandom(7);
  const pick = (): string => ALPHABET[Math.floor(random() * ALPHABET.length)] as string;
  for (let round = 0; round < 2_000; round++) {
    const params: Record<string, string> = {};
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      let name = '';
      let value = '';
      for (let n = Math.floor(random() * 6); n > 0; n--) name += pick();
      for (let n = Math.floor(random() * 12); n > 0; n--) value += pick();
      params[name] = value;
    }
    assert.equal(
      formEncode(params),
      new URLSearchParams(params).toString(),
      JSON.stringify(params),
    );
  }
});

test('formEncode of an API request', () => {
  const params = {
    key: 'k'.repeat(32),
    method: 'userrecaptcha',
    pageurl: 'https://example.com/a b?x=1&y=(2)',
    json: '1',
  };
  assert.equal(formEncode(params), new URLSearchParams(params).toString());
  assert.equal(formEncode({}), '');
});
