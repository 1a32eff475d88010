import { Hono } from 'hono';
import { openApiDocument } from '../openapi.ts';
import '../openapi-catalogue.ts';

/**
 * GET /api/docs: the OpenAPI 3 document of the API, generated from the operations the routes
 * declare with the zod schemas they validate with (openapi.ts) and the catalogue of the routes
 * that validate by hand (openapi-catalogue.ts). Public, like any API description: it holds no data.
 */
export function apiDocsRoutes(version: string): Hono {
  const routes = new Hono();
  let cached: Record<string, unknown> | undefined;
  routes.get('/docs', (c) => c.json((cached ??= openApiDocument(version))));
  return routes;
}
