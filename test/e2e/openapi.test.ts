// The OpenAPI document describes every route of docs/api.md with its request and response schemas.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ demo: false });
});

afterAll(async () => {
  await server?.close();
});

interface Operation {
  tags?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

describe('GET /api/v1/openapi.json', () => {
  it('lists every documented route, each with a success schema and the error body', async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toMatch(/^3\./);

    const table = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const routes = [...table.matchAll(/^\|\s*(GET|POST|PUT|DELETE)\s*\|\s*(\/api\/v1\/[^\s|]+)\s*\|/gm)].map((m) => [
      m[1]!.toLowerCase(),
      m[2]!,
    ]);
    expect(routes.length).toBeGreaterThan(30);
    for (const [method, path] of routes) {
      if (path === '/api/v1/openapi.json') continue;
      const operation = doc.paths[path!]?.[method!];
      expect(operation, `${method} ${path}`).toBeDefined();
      const success = operation!.responses['200'] ?? operation!.responses['201'] ?? operation!.responses['204'];
      expect(success, `${method} ${path} success response`).toBeDefined();
      expect(operation!.responses['404']?.content?.['application/json']?.schema, `${method} ${path} 404`).toBeDefined();
    }
    const createRun = doc.paths['/api/v1/projects/{project}/runs']!.post!;
    expect(createRun.requestBody).toBeDefined();
    expect(JSON.stringify(createRun.responses['201'])).toContain('datasetVersion');
  });
});
