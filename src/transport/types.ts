import type { ApiEndpoint } from '../errors/api-error.js';

/** A file sent as multipart form data (`method=post` image uploads). */
export interface ApiFile {
  /** Form field name; `file` for in.php. */
  field: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/**
 * One call to the service, before it is put on the wire. Parameters are already strings and
 * include `key` and `json`. A transport decides how to encode it (query string, urlencoded or
 * multipart body); the in-process simulator takes it as it is.
 */
export interface ApiRequest {
  endpoint: ApiEndpoint;
  httpMethod: 'GET' | 'POST';
  params: Record<string, string>;
  file?: ApiFile;
}

/** The service's answer. Header names are lower case. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface TransportCallOptions {
  signal?: AbortSignal;
}

/**
 * Sends one request and returns the raw answer, whatever its status. Throws NetworkError when no
 * answer arrived, AbortError when aborted; it never retries and never parses.
 */
export interface Transport {
  send(request: ApiRequest, options?: TransportCallOptions): Promise<ApiResponse>;
  /** Releases sockets and timers. */
  close?(): Promise<void>;
}
