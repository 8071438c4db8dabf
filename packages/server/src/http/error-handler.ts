// Maps every thrown error to the API's error body; 5xx only for our own faults, never with a stack trace.

import type { FastifyError, FastifyInstance } from 'fastify';
import { EngineError } from '@modelyard/engine';
import { ModelyardError } from '../errors.js';
import { isUniqueViolation } from '../store/store-support.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Engine errors are about the caller's data: most are 422, a few say the request itself is wrong. */
const ENGINE_STATUS: Record<string, number> = {
  unknown_column: 400,
  invalid_records: 400,
  invalid_artifact: 500,
};

export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ModelyardError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } },
    };
  }
  if (error instanceof EngineError) {
    return {
      status: ENGINE_STATUS[error.code] ?? 422,
      body: { error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } },
    };
  }
  if (isUniqueViolation(error)) {
    // Two writers raced for the same name; the one that lost hears what a sequential caller would have.
    return {
      status: 409,
      body: { error: { code: 'already_exists', message: 'An object with this name exists already.' } },
    };
  }
  const fe = error as Partial<FastifyError> & { validation?: unknown[] };
  if (fe.validation) {
    return {
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: `Invalid request: ${fe.message ?? 'schema validation failed'}`,
          details: { issues: fe.validation },
        },
      },
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      body: { error: { code: fastifyCode(fe.code, fe.statusCode), message: fe.message ?? 'Bad request' } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'Internal server error; see the server log.' } } };
}

function fastifyCode(code: string | undefined, status: number): string {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'invalid_json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return 'invalid_multipart';
    default:
      return status === 404 ? 'not_found' : 'bad_request';
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request rejected');
    void reply.status(status).send(body);
  });
}
