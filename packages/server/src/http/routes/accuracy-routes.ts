// Accuracy of endpoints from delayed labels: GET /endpoints/{e}/accuracy, a time series per bucket of prediction time
// with rolling metrics over a trailing window.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AccuracySeries } from '@modelyard/client';
import { badRequest } from '../../errors.js';
import { accuracySeries } from '../../monitoring/accuracy-series.js';
import { checkDuration } from '../../monitoring/alert-duration.js';
import { MAX_WINDOW_ROWS } from '../../monitoring/alert-sources.js';
import type { Services } from '../../services.js';
import * as A from '../accuracy-schemas.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { endpointFor } from './endpoint-access.js';

const EndpointParams = Type.Object({ endpoint: IdSchema });
/** More buckets than this is a chart no one reads, and as many metric computations per window. */
export const MAX_BUCKETS = 1000;
/** Buckets shown when `from` is left out. */
const DEFAULT_BUCKETS = 30;

function timestamp(text: string, field: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw badRequest('invalid_window', `'${text}' is not a timestamp (${field}).`, { field });
  return time;
}

export function accuracyRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: Static<typeof EndpointParams>; Querystring: Static<typeof A.AccuracyQuery> }>(
    '/endpoints/:endpoint/accuracy',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: A.AccuracyQuery,
        response: W.replies(200, A.AccuracySeries),
      }),
    },
    async (request): Promise<AccuracySeries> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const q = request.query;
      const bucket = q.bucket ?? '1d';
      const bucketMs = checkDuration('bucket', bucket);
      const windowMs = q.window === undefined ? null : checkDuration('window', q.window);
      const to = q.to === undefined ? Date.now() : timestamp(q.to, 'to');
      // Left out, `from` falls on a multiple of the bucket so buckets start on whole hours or days (UTC).
      const from =
        q.from === undefined
          ? Math.floor(to / bucketMs) * bucketMs - (DEFAULT_BUCKETS - 1) * bucketMs
          : timestamp(q.from, 'from');
      if (from >= to) {
        throw badRequest('invalid_window', 'from must be before to.', {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
        });
      }
      const count = Math.ceil((to - from) / bucketMs);
      if (count > MAX_BUCKETS) {
        throw badRequest(
          'too_many_buckets',
          `[from, to) holds ${count} buckets of ${bucket}; at most ${MAX_BUCKETS}: use a longer bucket.`,
          { buckets: count, max: MAX_BUCKETS },
        );
      }
      // This server's pending log writes first, so labels of answers given until now find them.
      await services.serving.inferences.flush();
      const records = await services.store.labelledRecords(endpoint.id, {
        from: new Date(from - (windowMs ?? 0)).toISOString(),
        to: new Date(to).toISOString(),
        limit: MAX_WINDOW_ROWS,
      });
      return accuracySeries(
        records,
        { endpointId: endpoint.id, from, to, bucket, bucketMs, window: q.window ?? null, windowMs },
        records.length === MAX_WINDOW_ROWS,
      );
    },
  );
}
