// What an in.php attempt says about its task: a submit that surely never reached the service
// (connection refused, DNS failure, a 404 from a wrong path) is a refusal, safe to send again;
// one whose answer was lost after it may have been processed is unknown (ambiguous).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { HttpError } from '../errors/http-error.js';
import { NetworkError } from '../errors/network-error.js';
import { createHttpTransport } from '../transport/http-transport.js';
import { isLostAnswer } from './api-client.js';
import { submitFailureOutcome, submitOutcomeOf } from './submit-outcome.js';

const page = (status: number, body = '<html>error</html>') => ({ status, headers: {}, body });

/** A loopback port with nothing listening on it (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('submit outcomes', () => {
  test('an answer: an id is accepted, an error code refused, 404 and 429 refused, 5xx unknown', () => {
    assert.equal(submitOutcomeOf(page(200, '{"status":1,"request":"123"}')), 'accepted');
    assert.equal(
      submitOutcomeOf(page(200, '{"status":0,"request":"ERROR_NO_SLOT_AVAILABLE"}')),
      'refused',
    );
    assert.equal(submitOutcomeOf(page(404, 'Not Found')), 'refused');
    assert.equal(submitOutcomeOf(page(429)), 'refused');
    assert.equal(submitOutcomeOf(page(502)), 'unknown');
    assert.equal(submitOutcomeOf(page(500)), 'unknown');
    assert.equal(submitOutcomeOf(page(200, '{"status":1,"req')), 'unknown');
  });

  test('no answer: refused only when the request surely never left', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      assert.equal(submitFailureOutcome(new NetworkError(code, code, false)), 'refused', code);
    }
    assert.equal(submitFailureOutcome(new NetworkError('ECONNRESET', 'reset', true)), 'unknown');
    assert.equal(submitFailureOutcome(new Error('anything else')), 'unknown');
  });

  test('a 404 or a refused connection is no lost answer; a 502 or a reset is', () => {
    assert.equal(isLostAnswer(new HttpError(404)), false);
    assert.equal(isLostAnswer(new NetworkError('ECONNREFUSED', 'refused', false)), false);
    assert.equal(isLostAnswer(new HttpError(502)), true);
    assert.equal(isLostAnswer(new NetworkError('ECONNRESET', 'reset', true)), true);
  });

  test('the HTTP transport: a dead port is ECONNREFUSED, not sent', async () => {
    const port = await deadPort();
    const transport = createHttpTransport({ baseUrl: `http://127.0.0.1:${port}` });
    try {
      const error = await transport
        .send({ endpoint: 'in.php', httpMethod: 'POST', params: { key: 'k' } })
        .then(
          () => assert.fail('a dead port answered'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.mayHaveReachedServer, false);
      assert.equal(submitFailureOutcome(error), 'refused');
      assert.equal(isLostAnswer(error), false);
    } finally {
      await transport.close?.();
    }
  });
});
