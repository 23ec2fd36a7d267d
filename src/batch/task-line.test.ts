import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { duplicateLine, IdRegistry, isBadLine, parseTaskLine } from './task-line.js';

const TASK =
  '{"id":"a1","method":"turnstile","sitekey":"0x4AAAAAAAC3DHQFLr1GavRN","pageurl":"https://example.com/\uFFFD"}';

describe('parseTaskLine', () => {
  test('a line that is not valid UTF-8 is a bad line under its line number, whatever it holds', () => {
    const line = parseTaskLine({ lineNo: 4, text: TASK, notUtf8: true });
    assert.ok(isBadLine(line));
    assert.equal(line.id, 4);
    assert.equal(
      line.message,
      'line 4: not valid UTF-8 (save the file as UTF-8); nothing was sent',
    );
    // The same text read as valid UTF-8 (a U+FFFD the file really holds) is a task.
    assert.equal(isBadLine(parseTaskLine({ lineNo: 4, text: TASK })), false);
  });

  test('a duplicate names its id as the record writes it and the line that holds it first', () => {
    const task = parseTaskLine({ lineNo: 9, text: TASK });
    assert.deepEqual(duplicateLine(task, 3), {
      lineNo: 9,
      hash: task.hash,
      id: 'a1',
      message: 'line 9: duplicate id "a1" (first on line 3)',
    });
  });
});

describe('IdRegistry', () => {
  test('explicit ids: the first line holds one, a later line gets that line; 1 and "1" differ', () => {
    const ids = new IdRegistry();
    assert.equal(ids.claim(3, 'a1'), undefined);
    assert.equal(ids.claim(4, 1), undefined);
    assert.equal(ids.claim(5, '1'), undefined);
    assert.equal(ids.claim(9, 'a1'), 3);
    assert.equal(ids.claim(10, 'a1'), 3, 'a duplicate does not take the id over');
    assert.equal(ids.claim(11, 1.0), 4);
  });

  test('a line number (a line without id) collides with an explicit numeric id only', () => {
    const ids = new IdRegistry();
    assert.equal(ids.claim(1, 1), undefined, 'line 1 without id');
    assert.equal(ids.claim(2, 7), undefined, 'line 2 says id 7');
    assert.equal(ids.claim(3, 3), undefined, 'line 3 without id');
    assert.equal(ids.claim(5, 1), 1, 'line 5 says id 1: line 1 has it');
    assert.equal(ids.claim(6, '3'), undefined, 'a string is not a line number');
    assert.equal(ids.claim(7, 7), 2, 'line 7 without id: line 2 said 7');
    assert.equal(ids.claim(8, 4), undefined, 'line 4 was blank');
    assert.equal(ids.claim(9, 3), 3);
    assert.equal(ids.claim(12, 12), undefined, 'a line may say its own number');
    assert.equal(ids.claim(20_000, 20_000), undefined, 'far past the first bits');
    assert.equal(ids.claim(20_001, 20_000), 20_000);
    assert.equal(ids.claim(20_002, 2.5), undefined);
  });
});
