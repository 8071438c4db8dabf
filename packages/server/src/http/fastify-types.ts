// Typed views of what the Fastify plugins add; their module augmentations do not reach our NodeNext ESM build.

import type { FastifyRequest, FastifySchema } from 'fastify';
import type { Multipart } from '@fastify/multipart';

export type MultipartRequest = FastifyRequest & {
  isMultipart(): boolean;
  parts(): AsyncIterableIterator<Multipart>;
};

/** A route schema with its OpenAPI tag (and optional `hide`/`description`), as @fastify/swagger reads them. */
export function routeSchema(
  tag: string,
  schema: FastifySchema & { hide?: boolean; description?: string } = {},
): FastifySchema {
  return { tags: [tag], ...schema } as FastifySchema;
}
