import type { ApiFile } from '../transport/types.js';
import type { ResolvedSimulatorOptions } from './options.js';

export type ImageResult = { bytes: Uint8Array } | { error: string };

type ImageLimits = Pick<
  ResolvedSimulatorOptions,
  'imageMinBytes' | 'imageMaxBytes' | 'checkImageType'
>;

const EXTENSIONS = new Set(['jpg', 'jpeg', 'gif', 'png']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:[^,]*;base64,/;

/**
 * Decodes base64 the way a lenient PHP server would: strips a data-URL prefix and line breaks,
 * and reads spaces as '+' (a form body whose '+' was not escaped). Undefined when it is not
 * base64 at all.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text
    .replace(DATA_URL, '')
    .replace(/[\r\n\t]/g, '')
    .replace(/ /g, '+');
  if (!BASE64.test(clean) || clean.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

/** `method=post`: the multipart file, checked for presence, extension and size. */
export function imageFromFile(file: ApiFile | undefined, limits: ImageLimits): ImageResult {
  if (!file) return { error: 'ERROR_UPLOAD' };
  if (file.data.length === 0) return { error: 'ERROR_ZERO_CAPTCHA_FILESIZE' };
  const dot = file.filename.lastIndexOf('.');
  const ext = dot < 0 ? '' : file.filename.slice(dot + 1).toLowerCase();
  if (!EXTENSIONS.has(ext)) return { error: 'ERROR_WRONG_FILE_EXTENSION' };
  return checkBytes(file.data, limits);
}

/** `method=base64`: the `body` parameter. */
export function imageFromBase64(body: string | undefined, limits: ImageLimits): ImageResult {
  if (body === undefined) return { error: 'ERROR_UPLOAD' };
  if (body === '') return { error: 'ERROR_ZERO_CAPTCHA_FILESIZE' };
  const bytes = decodeBase64(body);
  if (!bytes) return { error: 'ERROR_UPLOAD' };
  return checkBytes(bytes, limits);
}

function checkBytes(bytes: Uint8Array, limits: ImageLimits): ImageResult {
  if (bytes.length < limits.imageMinBytes || bytes.length === 0) {
    return { error: 'ERROR_ZERO_CAPTCHA_FILESIZE' };
  }
  if (bytes.length > limits.imageMaxBytes) return { error: 'ERROR_TOO_BIG_CAPTCHA_FILESIZE' };
  if (limits.checkImageType && !looksLikeImage(bytes)) {
    return { error: 'ERROR_IMAGE_TYPE_NOT_SUPPORTED' };
  }
  return { bytes };
}

/** JPEG, PNG, GIF or BMP by their first bytes. */
function looksLikeImage(b: Uint8Array): boolean {
  const starts = (...sig: number[]): boolean => sig.every((v, i) => b[i] === v);
  return (
    starts(0xff, 0xd8, 0xff) ||
    starts(0x89, 0x50, 0x4e, 0x47) ||
    starts(0x47, 0x49, 0x46, 0x38) ||
    starts(0x42, 0x4d)
  );
}
