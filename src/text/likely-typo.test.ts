import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, isLikelyTypo } from './likely-typo.js';

test('editDistance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('timout', 'timeout'), 1);
  assert.equal(editDistance('tiemout', 'timeout'), 1);
  assert.equal(editDistance('jsn', 'json'), 1);
  assert.equal(editDistance('', 'json'), 4);
  assert.equal(editDistance('json', 'json'), 0);
  assert.equal(editDistance('proxy', 'profile'), 4);
});

test('a likely typo: at most two edits, fewer than half the typed name', () => {
  assert.equal(isLikelyTypo('sitekye', 'sitekey'), true);
  assert.equal(isLikelyTypo('googlkey', 'googlekey'), true);
  assert.equal(isLikelyTypo('sitekey', 'sitekey'), false, 'the same name is no typo');
  assert.equal(isLikelyTypo('js', 'json'), false, 'two edits in a two-letter name');
  assert.equal(isLikelyTypo('proxy', 'profile'), false);
});
