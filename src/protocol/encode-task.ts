import type { ApiFile } from '../transport/types.js';
import { encodeValue } from './encode-value.js';
import { sniffImage } from './sniff-image.js';
import type { AnyTask } from './tasks/task.js';
import type { ImageFile } from './tasks/image.js';

/** A task's parameters as wire strings, with the upload split out for `method=post`. */
export interface EncodedTask {
  params: Record<string, string>;
  file?: ApiFile;
}

/**
 * Encodes a task without touching it: every parameter but the `post` upload becomes a string
 * (see encodeValue), absent ones are left out. `key` and `json` are not the task's to set; the
 * request encoder overwrites them.
 */
export function encodeTask(task: AnyTask): EncodedTask {
  const params: Record<string, string> = {};
  let file: ApiFile | undefined;
  for (const [name, value] of Object.entries(task)) {
    if (name === 'file' && task.method === 'post') {
      file = toApiFile(value as ImageFile);
      continue;
    }
    const encoded = encodeValue(name, value);
    if (encoded !== undefined) params[name] = encoded;
  }
  return file === undefined ? { params } : { params, file };
}

function toApiFile(input: ImageFile): ApiFile {
  const data = input instanceof Uint8Array ? input : input.data;
  const guessed = sniffImage(data);
  const filename = input instanceof Uint8Array ? undefined : input.filename;
  const contentType = input instanceof Uint8Array ? undefined : input.contentType;
  return {
    field: 'file',
    filename: filename ?? `captcha.${guessed.extension}`,
    contentType: contentType ?? guessed.contentType,
    data,
  };
}
