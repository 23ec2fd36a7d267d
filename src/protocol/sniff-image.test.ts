import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffImage } from './sniff-image.js';

const bytes = (...head: number[]): Uint8Array => Uint8Array.from([...head, 0, 0, 0, 0]);

test('an upload is named by its magic bytes, and only with an extension the service accepts', () => {
  assert.equal(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47)).extension, 'png');
  assert.equal(sniffImage(bytes(0xff, 0xd8, 0xff)).extension, 'jpg');
  assert.equal(sniffImage(bytes(0x47, 0x49, 0x46, 0x38)).extension, 'gif');
  // BMP (and anything unrecognised) goes as .jpg: the service refuses a .bmp name outright.
  assert.deepEqual(sniffImage(bytes(0x42, 0x4d)), { extension: 'jpg', contentType: 'image/jpeg' });
  assert.deepEqual(sniffImage(bytes(1, 2, 3)), { extension: 'jpg', contentType: 'image/jpeg' });
  for (const head of [
    [0x89, 0x50, 0x4e, 0x47],
    [0xff, 0xd8, 0xff],
    [0x47, 0x49, 0x46, 0x38],
    [0x42, 0x4d],
    [9],
  ]) {
    assert.ok(['jpg', 'jpeg', 'gif', 'png'].includes(sniffImage(bytes(...head)).extension));
  }
});
