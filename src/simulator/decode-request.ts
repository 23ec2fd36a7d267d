import type { IncomingMessage } from 'node:http';
import type { ApiEndpoint } from '../errors/api-error.js';
import type { ApiFile, ApiRequest } from '../transport/types.js';

/** A decoded HTTP request: what the simulator's handle() takes, plus whether the body was broken. */
export interface DecodedRequest {
  request: ApiRequest;
  malformedBody: boolean;
}

export class BodyTooLargeError extends Error {}

/** Reads the whole body, refusing more than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new BodyTooLargeError(`body over ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Turns a GET query string, a urlencoded POST body or a multipart POST body into an ApiRequest.
 * Query parameters are kept for POSTs too (a key in the URL is common); body fields win. The
 * multipart file (in.php `method=post`) becomes `ApiRequest.file`; other parts become params.
 */
export async function decodeRequest(
  endpoint: ApiEndpoint,
  url: URL,
  method: string,
  contentType: string,
  body: Buffer,
): Promise<DecodedRequest> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const httpMethod = method === 'POST' ? 'POST' : 'GET';
  let file: ApiFile | undefined;
  let malformedBody = false;
  if (httpMethod === 'POST' && body.length > 0) {
    if (/^multipart\/form-data/i.test(contentType)) {
      try {
        file = await readMultipart(url, contentType, body, params);
      } catch {
        malformedBody = true;
      }
    } else {
      // urlencoded, or a body sent without a content type: read it as a form like PHP would.
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
    }
  }
  const request: ApiRequest = { endpoint, httpMethod, params };
  if (file) request.file = file;
  return { request, malformedBody };
}

/** Parses multipart with the platform's own parser (undici's `Request.formData()`). */
async function readMultipart(
  url: URL,
  contentType: string,
  body: Buffer,
  params: Record<string, string>,
): Promise<ApiFile | undefined> {
  const form = await new Request(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  }).formData();
  let file: ApiFile | undefined;
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      params[field] = value;
    } else if (!file || field === 'file') {
      file = {
        field,
        filename: value.name,
        contentType: value.type,
        data: new Uint8Array(await value.arrayBuffer()),
      };
    }
  }
  return file;
}
