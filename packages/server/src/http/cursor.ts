// Opaque pagination cursors: the client passes back what we gave it; we never trust what is inside.

import { Type, type Static } from '@sinclair/typebox';
import { badRequest } from '../errors.js';

export const PageQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});
export type PageQuery = Static<typeof PageQuerySchema>;

export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: position }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof value.p === 'string' || typeof value.p === 'number') return value.p;
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid_cursor', 'The pagination cursor is not one this server issued.');
}

export const decodeStringCursor = (cursor: string | undefined): string | undefined => {
  const p = decodeCursor(cursor);
  if (p !== undefined && typeof p !== 'string') throw badRequest('invalid_cursor', 'The pagination cursor is invalid.');
  return p;
};

export const decodeNumberCursor = (cursor: string | undefined): number | undefined => {
  const p = decodeCursor(cursor);
  if (p !== undefined && typeof p !== 'number') throw badRequest('invalid_cursor', 'The pagination cursor is invalid.');
  return p;
};

export function pageRequest(q: PageQuery): { limit: number; after: string | undefined } {
  return { limit: q.limit ?? 50, after: decodeStringCursor(q.cursor) };
}
