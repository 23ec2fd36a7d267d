import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket } from './token-bucket.js';

test('TokenBucket refills fractionally up to its cap and says when the next token is due', () => {
  const bucket = new TokenBucket(2);
  assert.equal(bucket.tokens, 2);
  bucket.take();
  bucket.take();
  assert.equal(bucket.msUntilToken(4), 250);
  bucket.refill(100, 4);
  assert.ok(Math.abs(bucket.tokens - 0.4) < 1e-12);
  assert.ok(Math.abs(bucket.msUntilToken(4) - 150) < 1e-9);
  bucket.refill(10_000, 4);
  assert.equal(bucket.tokens, 2, 'capped');
  bucket.refill(10_000, 4, 3);
  assert.equal(bucket.tokens, 3, 'a larger cap when the owner allows it');
  bucket.set(1 - 1e-12);
  assert.equal(bucket.msUntilToken(1), 0, 'float dust counts as a whole token');
  bucket.refill(0, 4);
  bucket.refill(-5, 4);
  assert.equal(bucket.tokens, 1 - 1e-12);
});
