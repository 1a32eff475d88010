import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { Role } from '../accounts/roles.ts';
import { readJsonBody } from './json-body.ts';

/**
 * The OpenAPI 3 document (GET /api/docs) and the schemas that validate requests, in one place:
 * a route declares its operation (path, role, query, body) with `apiOperation`, validates with
 * `parseQuery`/`parseBody` against those same zod schemas, and the document is generated from
 * the declarations (`openApiDocument`), so the two cannot drift apart. Routes that validate by
 * hand are listed in openapi-catalogue.ts with their parameters.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiOperation {
  method: Method;
  /** OpenAPI style: /api/v1/webhooks/{id}. */
  path: string;
  summary: string;
  tag: string;
  /** The least role in the workspace; 'public' needs no credential, 'signed-in' any. */
  role: Role | 'public' | 'signed-in';
  /** Query parameters (a zod object of strings); `workspace` is added for workspace routes. */
  query?: z.AnyZodObject;
  body?: z.ZodTypeAny;
  /** Status → description (and optionally a zod schema of the JSON answer). */
  responses: Record<number, string | { description: string; schema?: z.ZodTypeAny; contentType?: string }>;
  /** Media type of a non-JSON body, e.g. multipart/form-data. */
  bodyContentType?: string;
}

const registry = new Map<string, ApiOperation>();
const keyOf = (op: Pick<ApiOperation, 'method' | 'path'>) => `${op.method.toUpperCase()} ${op.path}`;

/** Declares an operation for the document; returns it, for parseQuery/parseBody. */
export function apiOperation(op: ApiOperation): ApiOperation {
  registry.set(keyOf(op), op);
  return op;
}

export const registeredOperations = (): ApiOperation[] => [...registry.values()];

/** `unknown field x`, else zod's message, joined: the 400 a client can act on. */
export const zodMessage = (error: z.ZodError) =>
  error.issues
    .map((i) => {
      const where = i.path.length ? `${i.path.join('.')}: ` : '';
      return i.code === 'unrecognized_keys' ? `${where}unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : `${where}${i.message}`;
    })
    .join('; ');

/** The body, validated by the operation's schema: 400/413 otherwise. */
export async function parseBody<T extends z.ZodTypeAny>(c: Context, schema: T, limitBytes: number): Promise<z.output<T>> {
  const body = await readJsonBody(c, limitBytes);
  if (!body.ok) throw new HTTPException(body.status, { message: body.message });
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) throw new HTTPException(400, { message: zodMessage(parsed.error) });
  return parsed.data;
}

/** A query parameter the schema declares as an array may repeat (?where=a&where=b). */
function repeatable(field: z.ZodTypeAny): boolean {
  let inner = field;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner._def.innerType as z.ZodTypeAny;
  return inner instanceof z.ZodArray;
}

/**
 * The query string, validated by the operation's schema: 400 otherwise. Only the names the schema
 * declares are read (every value of an array field, the first of any other), so a route cannot read
 * a parameter the document does not describe.
 */
export function parseQuery<T extends z.AnyZodObject>(c: Context, schema: T): z.output<T> {
  const known: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
    const value = repeatable(field) ? c.req.queries(name) : c.req.query(name);
    if (value !== undefined) known[name] = value;
  }
  const parsed = schema.safeParse(known);
  if (!parsed.success) throw new HTTPException(400, { message: zodMessage(parsed.error) });
  return parsed.data;
}

/** A positive whole number in a path (ids): 404 for anything else, as for an id that does not exist. */
export function idParam(value: string, notFound: string): number {
  if (!/^[1-9]\d{0,14}$/.test(value) || !Number.isSafeInteger(Number(value))) throw new HTTPException(404, { message: notFound });
  return Number(value);
}

type JsonSchema = Record<string, unknown>;

/** JSON Schema (OpenAPI 3.0 flavour) of a zod 3 schema: what it accepts as input. */
export function zodToJsonSchema(schema: z.ZodTypeAny): JsonSchema {
  const def = schema._def as { typeName: string; description?: string } & Record<string, unknown>;
  const described = (s: JsonSchema) => (schema.description ? { ...s, description: schema.description } : s);
  switch (def.typeName) {
    case 'ZodString': {
      const out: JsonSchema = { type: 'string' };
      for (const check of (def.checks as Array<{ kind: string; value?: number; regex?: RegExp }>) ?? []) {
        if (check.kind === 'min') out.minLength = check.value;
        else if (check.kind === 'max') out.maxLength = check.value;
        else if (check.kind === 'length') out.minLength = out.maxLength = check.value;
        else if (check.kind === 'email') out.format = 'email';
        else if (check.kind === 'url') out.format = 'uri';
        else if (check.kind === 'datetime') out.format = 'date-time';
        else if (check.kind === 'regex' && check.regex) out.pattern = check.regex.source;
      }
      return described(out);
    }
    case 'ZodNumber': {
      const out: JsonSchema = { type: 'number' };
      for (const check of (def.checks as Array<{ kind: string; value?: number; inclusive?: boolean }>) ?? []) {
        if (check.kind === 'int') out.type = 'integer';
        else if (check.kind === 'min') out[check.inclusive ? 'minimum' : 'exclusiveMinimum'] = check.inclusive ? check.value : check.value;
        else if (check.kind === 'max') out[check.inclusive ? 'maximum' : 'exclusiveMaximum'] = check.value;
      }
      // OpenAPI 3.0: exclusiveMinimum is a boolean beside minimum.
      if (typeof out.exclusiveMinimum === 'number') Object.assign(out, { minimum: out.exclusiveMinimum, exclusiveMinimum: true });
      if (typeof out.exclusiveMaximum === 'number') Object.assign(out, { maximum: out.exclusiveMaximum, exclusiveMaximum: true });
      return described(out);
    }
    case 'ZodBigInt':
      return described({ type: 'integer' });
    case 'ZodBoolean':
      return described({ type: 'boolean' });
    case 'ZodDate':
      return described({ type: 'string', format: 'date-time' });
    case 'ZodNull':
      return described({ nullable: true, enum: [null] });
    case 'ZodLiteral':
      return described({ enum: [def.value] });
    case 'ZodEnum':
      return described({ type: 'string', enum: [...(def.values as string[])] });
    case 'ZodNativeEnum':
      return described({ enum: Object.values(def.values as object) });
    case 'ZodArray': {
      const out: JsonSchema = { type: 'array', items: zodToJsonSchema(def.type as z.ZodTypeAny) };
      if (def.minLength) out.minItems = (def.minLength as { value: number }).value;
      if (def.maxLength) out.maxItems = (def.maxLength as { value: number }).value;
      return described(out);
    }
    case 'ZodObject': {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        properties[key] = zodToJsonSchema(value);
        if (!value.isOptional()) required.push(key);
      }
      const out: JsonSchema = { type: 'object', properties };
      if (required.length) out.required = required;
      const catchall = def.catchall as z.ZodTypeAny | undefined;
      if (catchall && (catchall._def as { typeName: string }).typeName !== 'ZodNever') out.additionalProperties = zodToJsonSchema(catchall);
      else if (def.unknownKeys === 'strict') out.additionalProperties = false;
      return described(out);
    }
    case 'ZodRecord':
      return described({ type: 'object', additionalProperties: zodToJsonSchema(def.valueType as z.ZodTypeAny) });
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const options = (Array.isArray(def.options) ? def.options : [...(def.options as Map<unknown, z.ZodTypeAny>).values()]) as z.ZodTypeAny[];
      return described({ oneOf: options.map(zodToJsonSchema) });
    }
    case 'ZodIntersection':
      return described({ allOf: [zodToJsonSchema(def.left as z.ZodTypeAny), zodToJsonSchema(def.right as z.ZodTypeAny)] });
    case 'ZodTuple':
      return described({ type: 'array', items: { oneOf: (def.items as z.ZodTypeAny[]).map(zodToJsonSchema) } });
    case 'ZodOptional':
      return described(zodToJsonSchema(def.innerType as z.ZodTypeAny));
    case 'ZodNullable':
      return described({ ...zodToJsonSchema(def.innerType as z.ZodTypeAny), nullable: true });
    case 'ZodDefault': {
      const inner = zodToJsonSchema(def.innerType as z.ZodTypeAny);
      const value = (def.defaultValue as () => unknown)();
      return described(value === undefined ? inner : { ...inner, default: value });
    }
    case 'ZodCatch':
    case 'ZodReadonly':
      return described(zodToJsonSchema(def.innerType as z.ZodTypeAny));
    case 'ZodBranded':
      return described(zodToJsonSchema(def.type as z.ZodTypeAny));
    case 'ZodEffects':
      return described(zodToJsonSchema(def.schema as z.ZodTypeAny));
    case 'ZodPipeline':
      return described(zodToJsonSchema(def.in as z.ZodTypeAny));
    case 'ZodLazy':
      return described({ type: 'object', description: 'recursive' });
    default:
      return described({});
  }
}

const ROLE_TEXT: Record<ApiOperation['role'], string> = {
  public: 'No credential (a public endpoint).',
  'signed-in': 'Any signed-in user or API key.',
  viewer: 'Viewer, analyst or admin of the workspace.',
  analyst: 'Analyst or admin of the workspace.',
  admin: 'Admin of the workspace.',
};

const ERROR_SCHEMA = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } }, required: ['error', 'message'] };

/** The OpenAPI 3.0.3 document of every declared operation. */
export function openApiDocument(version: string, operations: readonly ApiOperation[] = registeredOperations()): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...operations].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const parameters: JsonSchema[] = [];
    for (const name of op.path.match(/\{[^}]+\}/g) ?? []) parameters.push({ name: name.slice(1, -1), in: 'path', required: true, schema: { type: 'string' } });
    const workspaceScoped = op.role !== 'public' && op.role !== 'signed-in';
    const queryShape = (op.query?.shape ?? {}) as Record<string, z.ZodTypeAny>;
    if (workspaceScoped && !('workspace' in queryShape)) {
      parameters.push({ name: 'workspace', in: 'query', required: false, schema: { type: 'string', maxLength: 63 }, description: 'The workspace; default: the caller’s only one, else the server’s default.' });
    }
    for (const [name, schema] of Object.entries(queryShape)) parameters.push({ name, in: 'query', required: !schema.isOptional(), schema: zodToJsonSchema(schema) });
    const responses: Record<string, unknown> = {};
    for (const [status, value] of Object.entries(op.responses)) {
      const entry = typeof value === 'string' ? { description: value } : value;
      const code = Number(status);
      const schema = entry.schema ? zodToJsonSchema(entry.schema) : code >= 400 ? ERROR_SCHEMA : undefined;
      responses[status] = code === 204 ? { description: entry.description } : { description: entry.description, content: { [entry.contentType ?? 'application/json']: { schema: schema ?? { type: 'object' } } } };
    }
    if (op.role !== 'public') {
      responses['401'] ??= { description: 'No credential, or not a valid one.', content: { 'application/json': { schema: ERROR_SCHEMA } } };
    }
    if (workspaceScoped) {
      responses['403'] ??= { description: 'The caller’s role in the workspace is too low.', content: { 'application/json': { schema: ERROR_SCHEMA } } };
      responses['404'] ??= { description: 'No such workspace for this caller (or no such item in it).', content: { 'application/json': { schema: ERROR_SCHEMA } } };
    }
    const operation: Record<string, unknown> = {
      operationId: `${op.method}${op.path.replace(/\{([^}]+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      summary: op.summary,
      description: ROLE_TEXT[op.role],
      tags: [op.tag],
      parameters,
      responses,
    };
    if (op.role === 'public') operation.security = [];
    if (op.body) operation.requestBody = { required: !op.body.isOptional(), content: { [op.bodyContentType ?? 'application/json']: { schema: zodToJsonSchema(op.body) } } };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Sada API', version, description: 'Customer-experience analytics. Every route but the public survey ones needs a session cookie or an API key (Authorization: Bearer sada_…); docs/accounts.md.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (sada_…) or SADA_API_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: 'sada_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}
