// A time in a query string or body (ISO 8601, or anything Date.parse reads), as ISO text; 400 `invalid_window` else.

import { badRequest } from '../errors.js';

export function queryTimestamp(text: string, field: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw badRequest('invalid_window', `'${text}' is not a timestamp (${field}).`, { field });
  return new Date(time).toISOString();
}
