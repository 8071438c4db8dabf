// Every error the server answers with: a stable code, a human message, and the HTTP status it maps to at the edge.

export type ErrorDetails = Record<string, unknown>;

export class ModelyardError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  constructor(status: number, code: string, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'ModelyardError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** 400: the request is malformed or names something impossible. */
export const badRequest = (code: string, message: string, details?: ErrorDetails): ModelyardError =>
  new ModelyardError(400, code, message, details);

/** 401: no token, or a token we do not know. */
export const unauthenticated = (message = 'A valid bearer token is required.'): ModelyardError =>
  new ModelyardError(401, 'unauthenticated', message);

/** 403: the caller is known but lacks the role. */
export const forbidden = (message: string, details?: ErrorDetails): ModelyardError =>
  new ModelyardError(403, 'forbidden', message, details);

/** 404: no such object, or one the caller may not know exists. */
export const notFound = (objectType: string, id: string): ModelyardError =>
  new ModelyardError(404, `${objectType}_not_found`, `No ${objectType.replace(/_/g, ' ')} '${id}'.`, {
    [objectType]: id,
  });

/** 409: the object exists already or is in the wrong state. */
export const conflict = (code: string, message: string, details?: ErrorDetails): ModelyardError =>
  new ModelyardError(409, code, message, details);

/** 422: well-formed input whose content cannot be used (a dataset, a target, a record). */
export const unprocessable = (code: string, message: string, details?: ErrorDetails): ModelyardError =>
  new ModelyardError(422, code, message, details);
