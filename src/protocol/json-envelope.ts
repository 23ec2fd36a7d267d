import type { ApiEndpoint } from '../errors/api-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { isPlainObject } from './encode-value.js';

/** The `json=1` answer: `{"status":0|1,"request":...,"error_text"?:...}` plus any extra fields. */
export interface JsonEnvelope {
  status: 0 | 1;
  /** As sent: string, number, object, array, or undefined when absent (threadsinfo). */
  request: unknown;
  errorText: string | undefined;
  /** Every other top-level field. */
  extra: Record<string, unknown>;
}

/**
 * Reads a body that starts with `{`. Truncated JSON, a JSON value that is not an object, and an
 * object without a usable `status` are all unparseable: the docs say to wait and retry on
 * anything that does not look like an answer.
 */
export function parseJsonEnvelope(body: string, endpoint: ApiEndpoint): JsonEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ProtocolError(
      `${endpoint} answered invalid or truncated JSON (${body.length} characters)`,
    );
  }
  if (!isPlainObject(parsed))
    throw new ProtocolError(`${endpoint} answered JSON that is not an object`);
  const { status, request, error_text: errorText, ...extra } = parsed;
  const flag = statusFlag(status);
  if (flag === undefined)
    throw new ProtocolError(`${endpoint} answered JSON without a status of 0 or 1`);
  return {
    status: flag,
    request,
    errorText: typeof errorText === 'string' ? errorText : undefined,
    extra,
  };
}

/** `status` may be a number or a numeric string ("1"). */
function statusFlag(status: unknown): 0 | 1 | undefined {
  if (status === 1 || status === '1' || status === true) return 1;
  if (status === 0 || status === '0' || status === false) return 0;
  return undefined;
}
