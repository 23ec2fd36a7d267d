import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors/api-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { Answer } from './answer.js';
import { parseAnswer } from './parse-answer.js';
import { parseThreadsInfo, parseThreadsInfoResponse } from './parse-threads-info.js';

const ok = (body: string) => ({ status: 200, headers: {}, body });
const fromBody = (body: string) => parseThreadsInfo(parseAnswer(ok(body), 'res.php', 0));

void describe('parseThreadsInfo', () => {
  void test('numbers at the top level of the JSON answer', () => {
    assert.deepEqual(fromBody('{"status":1,"threads":5,"working_threads":2,"free_threads":3}'), {
      threads: 5,
      working: 2,
      free: 3,
      raw: { threads: 5, working_threads: 2, free_threads: 3 },
    });
  });

  void test('inside request, as an object or as a JSON string', () => {
    const expected = { threads: 10, working: 4, free: 6 };
    const object = fromBody(
      '{"status":1,"request":{"threads":10,"working_threads":4,"free_threads":6}}',
    );
    assert.deepEqual({ ...object, raw: undefined }, { ...expected, raw: undefined });
    const string = fromBody(
      JSON.stringify({
        status: 1,
        request: '{"threads":"10","working_threads":"4","free_threads":"6"}',
      }),
    );
    assert.deepEqual({ ...string, raw: undefined }, { ...expected, raw: undefined });
    assert.deepEqual(string?.raw, { threads: '10', working_threads: '4', free_threads: '6' });
  });

  void test('text forms', () => {
    const answer = (value: string): Answer => ({ kind: 'ok', value, extra: {} });
    assert.deepEqual(
      parseThreadsInfo(answer('threads=5,working_threads=2,free_threads=3'))?.free,
      3,
    );
    assert.deepEqual(parseThreadsInfo(answer('threads:5; working_threads:2')), {
      threads: 5,
      working: 2,
      free: 3,
      raw: { threads: '5', working_threads: '2' },
    });
    const piped = parseThreadsInfo(answer('5|2|3'));
    assert.deepEqual([piped?.threads, piped?.working, piped?.free], [5, 2, 3]);
    assert.deepEqual(fromBody('OK|8|8|0')?.free, 0);
  });

  void test('bare text bodies through parseThreadsInfoResponse', () => {
    assert.deepEqual(
      parseThreadsInfoResponse(ok('threads=5,working_threads=2,free_threads=3'), 0)?.working,
      2,
    );
    assert.deepEqual(parseThreadsInfoResponse(ok('5|2|3'), 0)?.threads, 5);
    assert.deepEqual(
      parseThreadsInfoResponse(ok('{"status":1,"threads":4,"free_threads":1}'), 0)?.working,
      3,
    );
    assert.throws(
      () => parseThreadsInfoResponse(ok('{"status":0,"request":"ERROR_EMPTY_ACTION"}'), 0),
      ApiError,
    );
    assert.throws(() => parseThreadsInfoResponse(ok('<html>502</html>'), 0), ProtocolError);
    assert.throws(() => parseThreadsInfoResponse(ok('hello there'), 0), ProtocolError);
  });

  void test('undefined when the numbers are not there', () => {
    const answers: Answer[] = [
      { kind: 'not-ready' },
      { kind: 'error', code: 'ERROR_EMPTY_ACTION' },
      { kind: 'ok', value: '', extra: {} },
      { kind: 'ok', value: '12.5', extra: {} },
      { kind: 'ok', value: 7, extra: {} },
      { kind: 'ok', value: 'threads=5', extra: {} },
      { kind: 'ok', value: 'a|b|c', extra: {} },
      { kind: 'ok', value: '{"threads":', extra: {} },
      { kind: 'ok', value: { threads: -1, working_threads: 0 }, extra: {} },
      { kind: 'ok', value: { threads: 2.5, free_threads: 1 }, extra: {} },
    ];
    for (const answer of answers)
      assert.equal(parseThreadsInfo(answer), undefined, JSON.stringify(answer));
    assert.equal(parseThreadsInfoResponse(ok('{"status":1,"request":"1.5"}'), 0), undefined);
  });
});
