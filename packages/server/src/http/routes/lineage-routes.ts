// Lineage: the graph of datasets, runs, model versions and endpoints around one object, as far as the caller may see.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  DEFAULT_LINEAGE_DEPTH,
  DEFAULT_LINEAGE_NODES,
  LINEAGE_KINDS,
  lineageGraph,
  MAX_LINEAGE_DEPTH,
  MAX_LINEAGE_NODES,
} from '../../catalog/lineage.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';

const LineageParams = Type.Object({
  kind: Type.Union(LINEAGE_KINDS.map((kind) => Type.Literal(kind))),
  id: Type.String({ minLength: 1, maxLength: 200 }),
});
const LineageQuery = Type.Object({
  direction: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  depth: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LINEAGE_DEPTH, default: DEFAULT_LINEAGE_DEPTH })),
  maxNodes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LINEAGE_NODES, default: DEFAULT_LINEAGE_NODES })),
});

export function lineageRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: Static<typeof LineageParams>; Querystring: Static<typeof LineageQuery> }>(
    '/lineage/:kind/:id',
    {
      schema: routeSchema('lineage', {
        params: LineageParams,
        querystring: LineageQuery,
        response: W.replies(200, W.LineageGraph),
        description:
          '`up` walks toward the raw data, `down` toward endpoints; edges always point downstream. ' +
          'Objects in projects the caller cannot view are left out.',
      }),
    },
    async (request) =>
      lineageGraph(services.store, request.user, request.params, {
        direction: request.query.direction,
        depth: request.query.depth ?? DEFAULT_LINEAGE_DEPTH,
        maxNodes: request.query.maxNodes ?? DEFAULT_LINEAGE_NODES,
      }),
  );
}
