import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestOption } from './flag-suggestion.js';

const SOLVE_OPTIONS = ['--method', '--json', '--timeout', '--key', '--sim', '--sim-speed'];

test('a typo of an option is matched to it', () => {
  assert.equal(suggestOption('--timout', SOLVE_OPTIONS), '--timeout');
  assert.equal(suggestOption('--jsn', SOLVE_OPTIONS), '--json');
  assert.equal(suggestOption('--metod', SOLVE_OPTIONS), '--method');
  assert.equal(suggestOption('--sim-sped', SOLVE_OPTIONS), '--sim-speed');
});

test('task parameters, and flags near only a short option, are not taken for typos', () => {
  for (const param of ['--action', '--proxy', '--sitekey', '--data-s', '--version', '--lang']) {
    assert.equal(suggestOption(param, SOLVE_OPTIONS), undefined, param);
  }
  // `--key` and `--sim` are too short to guess at: `--gt` and `--ip` are real parameters.
  assert.equal(suggestOption('--ke', SOLVE_OPTIONS), undefined);
  assert.equal(suggestOption('--sin', SOLVE_OPTIONS), undefined);
  // Two edits in a two-letter name is another name, not a typo.
  assert.equal(suggestOption('--js', SOLVE_OPTIONS), undefined);
});
