import type { CommonTaskParams, Flag } from './common.js';

/**
 * An image to upload. A bare `Uint8Array` gets a file name and content type guessed from its
 * first bytes, because the service checks the file extension (ERROR_WRONG_FILE_EXTENSION).
 */
export type ImageFile = Uint8Array | { data: Uint8Array; filename?: string; contentType?: string };

/** Options shared by the image methods (docs/protocol.md, "Image recognition options"). */
export interface ImageOptions {
  /** The answer has two or more words. */
  phrase?: Flag;
  /** The answer is case-sensitive. */
  regsense?: Flag;
  /** 0 any, 1 digits only, 2 letters only, 3 digits or letters, 4 both. */
  numeric?: 0 | 1 | 2 | 3 | 4;
  /** The image shows a calculation to be done. */
  calc?: Flag;
  /** 0 to 20; 0 means no limit. */
  min_len?: number;
  max_len?: number;
  /** 0 any, 1 Cyrillic, 2 Latin. */
  language?: 0 | 1 | 2;
  /** ISO language code, e.g. `en`. */
  lang?: string;
  /** CaptchaAI recognition module, e.g. `common-1`. */
  module?: string;
  /** Text shown to the worker. */
  textinstructions?: string;
  /** Instruction image, base64-encoded. */
  imginstructions?: string;
}

/** `method=post`: the image as a multipart upload in the field `file`. */
export interface ImagePostTask extends CommonTaskParams, ImageOptions {
  method: 'post';
  file: ImageFile;
}

/** `method=base64`: the image base64-encoded in `body`. */
export interface ImageBase64Task extends CommonTaskParams, ImageOptions {
  method: 'base64';
  body: string;
}

/** The reCAPTCHA image-grid options (2captcha's wire format; unverified on CaptchaAI). */
export interface GridOptions {
  recaptcha: 1 | true;
  recaptcharows?: number;
  recaptchacols?: number;
  /** The worker may answer "no matching images". */
  can_no_answer?: Flag;
  /** The id of the previous grid task of the same challenge. */
  previousID?: string | number;
}

/** A reCAPTCHA grid sent as an image method with `recaptcha=1`. */
export type GridTask = (ImagePostTask & GridOptions) | (ImageBase64Task & GridOptions);
