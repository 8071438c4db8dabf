// The one error the SDK throws: an HTTP error answer, a network failure or an unreadable response, each with a code.

import type { ApiErrorBody } from './types.js';

export class ApiError extends Error {
  /** The HTTP status; 0 when no answer arrived (network failure, timeout). */
  readonly status: number;
  /** The server's stable error code, or `network_error`, `timeout`, `invalid_response`, `http_<status>`. */
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  /** Builds the error from an error response's status and raw body text. */
  static fromResponse(status: number, statusText: string, bodyText: string, where: string): ApiError {
    const body = parseErrorBody(bodyText);
    if (body) return new ApiError(status, body.error.code, body.error.message, body.error.details);
    const snippet = bodyText.trim().replace(/\s+/g, ' ').slice(0, 200);
    const reason = statusText ? `${status} ${statusText}` : String(status);
    return new ApiError(status, `http_${status}`, `HTTP ${reason} from ${where}${snippet ? `: ${snippet}` : ''}`);
  }
}

function parseErrorBody(text: string): ApiErrorBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !('error' in value)) return undefined;
  const error: unknown = value.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== 'string') return undefined;
  return {
    error: {
      code,
      message: typeof message === 'string' ? message : code,
      ...(isRecord(details) ? { details } : {}),
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
