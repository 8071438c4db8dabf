// Turns whatever a request threw into one sentence a person can act on.
import { ApiError } from '@modelyard/client';

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return `Cannot reach the Modelyard server (${error.code}): ${error.message}`;
    if (error.status === 401) return 'Your token was not accepted. Check it and sign in again.';
    if (error.status === 403) return 'You do not have access to this. Ask a project admin for a role.';
    if (error.status === 404) return error.message || 'Not found.';
    if (error.status >= 500) return `The server hit an error: ${error.message} (${error.code}).`;
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
