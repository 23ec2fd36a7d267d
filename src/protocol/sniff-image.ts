/** A file name and content type for an image, from its magic bytes. */
export interface ImageKind {
  extension: string;
  contentType: string;
}

const KINDS: readonly (ImageKind & { magic: readonly number[] })[] = [
  { extension: 'png', contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { extension: 'jpg', contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { extension: 'gif', contentType: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38] },
];

/**
 * Guesses the type of an uploaded image. The service rejects file names whose extension is not
 * jpg, jpeg, gif or png (ERROR_WRONG_FILE_EXTENSION), so bytes of any other type (BMP included:
 * a `.bmp` name would be refused before its content is read) are sent as `.jpg`: the server then
 * judges the content, which is what it does for real JPEGs anyway.
 */
export function sniffImage(data: Uint8Array): ImageKind {
  for (const kind of KINDS) {
    if (kind.magic.every((byte, i) => data[i] === byte)) {
      return { extension: kind.extension, contentType: kind.contentType };
    }
  }
  return { extension: 'jpg', contentType: 'image/jpeg' };
}
