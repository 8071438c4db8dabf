// One search over the catalog: hits only from projects the caller may view, ranked, with an opaque offset cursor.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { SearchKind } from '@modelyard/client';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_DEPTH,
  MAX_SEARCH_LIMIT,
  search,
  SEARCH_KINDS,
} from '../../catalog/search.js';
import { badRequest } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import { decodeNumberCursor, encodeCursor } from '../cursor.js';

const KIND = `(${SEARCH_KINDS.join('|')})`;
const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  kinds: Type.Optional(
    Type.String({ pattern: `^${KIND}(,${KIND})*$`, maxLength: 200, description: 'comma-separated; all when omitted' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_LIMIT, default: DEFAULT_SEARCH_LIMIT })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

function offsetOf(cursor: string | undefined): number {
  const offset = decodeNumberCursor(cursor) ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset >= MAX_SEARCH_DEPTH) {
    throw badRequest('invalid_cursor', 'The pagination cursor is invalid.');
  }
  return offset;
}

export function searchRoutes(app: FastifyInstance, { store }: Services): void {
  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/search',
    {
      schema: routeSchema('search', {
        querystring: SearchQuery,
        response: W.replies(200, W.PageOf(W.SearchHit)),
        description:
          'Datasets, columns, runs, models and endpoints whose name or description contains `q` (case-insensitive), ' +
          'in projects where the caller is at least viewer; exact names first, then prefixes, then the rest.',
      }),
    },
    async (request) => {
      const { q, kinds, limit, cursor } = request.query;
      const page = await search(store, request.user, {
        q,
        kinds: kinds === undefined ? SEARCH_KINDS : (kinds.split(',') as SearchKind[]),
        limit: limit ?? DEFAULT_SEARCH_LIMIT,
        offset: offsetOf(cursor),
      });
      return { items: page.hits, nextCursor: page.nextOffset === null ? null : encodeCursor(page.nextOffset) };
    },
  );
}
