// MLflow's error body ({"error_code", "message"}) and status codes, and the mapping of every other error onto them.

import type { FastifyError } from 'fastify';
import { ModelyardError } from '../errors.js';
import { ArtifactTooLargeError } from '../artifacts/artifact-store.js';
import { ParamConflictError } from '../store/metadata-store.js';
import { isUniqueViolation } from '../store/store-support.js';
import { FilterSyntaxError } from '../tracking/run-filter.js';

/** MLflow's error codes (databricks_pb2.ErrorCode) that these routes answer with; docs/errors.md lists them. */
export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'ENDPOINT_NOT_FOUND'
  | 'BAD_REQUEST'
  | 'INVALID_STATE'
  | 'INTERNAL_ERROR';

export class MlflowError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: MlflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

export interface MlflowErrorBody {
  error_code: MlflowErrorCode;
  message: string;
}

export const invalidParameter = (message: string): MlflowError =>
  new MlflowError(400, 'INVALID_PARAMETER_VALUE', message);

export const missingParameter = (name: string): MlflowError =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );

/** MLflow's `invalid_value` text: the value as JSON, the parameter's path, then why. */
export const invalidValue = (path: string, value: unknown, details?: string): MlflowError =>
  invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${path}' supplied${details === undefined ? '' : `: ${details}`}`,
  );

export const doesNotExist = (message: string): MlflowError => new MlflowError(404, 'RESOURCE_DOES_NOT_EXIST', message);

export const alreadyExists = (message: string): MlflowError => new MlflowError(400, 'RESOURCE_ALREADY_EXISTS', message);

const CODE_OF_STATUS: Record<number, MlflowErrorCode> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  409: 'RESOURCE_ALREADY_EXISTS',
};

/** Any error thrown under the MLflow routes as MLflow would answer it; 5xx only for our own faults. */
export function toMlflowResponse(error: unknown): { status: number; body: MlflowErrorBody } {
  const answer = (status: number, code: MlflowErrorCode, message: string) => ({
    status,
    body: { error_code: code, message },
  });
  if (error instanceof MlflowError) return answer(error.status, error.errorCode, error.message);
  // Our message starts with MLflow's text and adds the position, so a client sees where the filter went wrong.
  if (error instanceof FilterSyntaxError) return answer(400, 'INVALID_PARAMETER_VALUE', error.message);
  if (error instanceof ParamConflictError) {
    return answer(400, 'INVALID_PARAMETER_VALUE', paramConflictMessage(error, undefined));
  }
  if (error instanceof ArtifactTooLargeError) return answer(413, 'INVALID_PARAMETER_VALUE', error.message);
  if (error instanceof ModelyardError) {
    // A refused alias move is a state problem, not a duplicate: MLflow's own word for it.
    if (error.code === 'gates_failed' || error.code === 'model_unloadable') {
      return answer(400, 'INVALID_STATE', error.message);
    }
    const code = CODE_OF_STATUS[error.status] ?? (error.status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_PARAMETER_VALUE');
    const status = code === 'RESOURCE_ALREADY_EXISTS' ? 400 : error.status;
    return answer(status, code, error.message);
  }
  if (isUniqueViolation(error)) return answer(400, 'RESOURCE_ALREADY_EXISTS', 'The object already exists.');
  const fe = error as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return answer(fe.statusCode, 'INVALID_PARAMETER_VALUE', fe.message ?? 'Bad request');
  }
  return answer(500, 'INTERNAL_ERROR', 'Internal server error; see the server log.');
}

/** MLflow's refusal of a changed param (the run id is added when the caller knows it). */
export function paramConflictMessage(error: ParamConflictError, runId: string | undefined): string {
  return (
    `Changing param values is not allowed. Param with key='${error.key}' was already logged with ` +
    `value='${error.oldValue}' for run ID='${runId ?? 'unknown'}'. Attempted logging new value '${error.newValue}'.`
  );
}
