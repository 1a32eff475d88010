import { evaluateAlertsSoon } from '../../storage/alerts.ts';
import type { IncomingMessage } from 'node:http';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { RECORD_KIND_NAMES, RECORD_KINDS, type FieldSpec, type RecordKindName } from '../../domain/record-kinds.ts';
import { isValidZone, NAMED_DATE_FORMATS } from '../../domain/values.ts';
import { inspectFile, planImport, previewPlan, type ReadPlan } from '../../import/file-preview.ts';
import { importFile, type ImportSummary } from '../../import/importer.ts';
import { FILE_FORMATS, MappingError, type FileFormat } from '../../import/mapping.ts';
import { PRESETS, PresetError } from '../../import/presets/index.ts';
import { guessFormat } from '../../import/readers/index.ts';
import { DEFAULT_UPLOAD_LIMIT, UploadStore, UploadTooLarge, type Upload } from '../../import/uploads.ts';
import { writeAudit } from '../../storage/audit.ts';
import type { Database } from '../../storage/database.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import { actorOf } from '../auth.ts';
import { readJsonBody } from '../json-body.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * The Import page's API (docs/importing.md#from-the-dashboard). Analysts and admins:
 *
 * - GET  /api/v1/imports/kinds            the kinds of record, their fields, the presets
 * - POST /api/v1/imports?name=<file name>  the file as the raw body (CSV, TSV, JSON, NDJSON),
 *   streamed to a temporary file → upload id, columns, first rows, the presets its shape fits
 * - POST /api/v1/imports/:id/preview      { kind, preset | mapping } → the first rows as stored
 * - POST /api/v1/imports/:id/dry-run      the whole file, each batch rolled back: what would be
 *   inserted / updated / unchanged, and every rejected row's line, column and reason (first 100)
 * - POST /api/v1/imports/:id/commit       the same, stored (audited); again: nothing changes
 * - DELETE /api/v1/imports/:id            deletes the temporary file (also after an hour unused)
 */

const BODY_LIMIT = 256 * 1024;
const SHOWN_REJECTS = 100;

export const planSchema = z
  .object({
    kind: z.enum(RECORD_KIND_NAMES as [RecordKindName, ...RecordKindName[]], { errorMap: () => ({ message: `kind must be one of ${RECORD_KIND_NAMES.join(', ')}` }) }),
    preset: z.string().trim().min(1).max(100).optional(),
    mapping: z.record(z.string(), z.unknown()).optional(),
    /** Zone for times without an offset (default: the mapping's, else the workspace's). */
    timezone: z.string().refine(isValidZone, 'timezone must be an IANA time zone such as UTC or Asia/Riyadh').optional(),
  })
  .strict()
  .refine((b) => !(b.preset && b.mapping), { message: 'send either a preset or a mapping, not both' });
type PlanBody = z.infer<typeof planSchema>;

const uploadLimit = (): number => {
  const value = Number(process.env.SADA_IMPORT_MAX_BYTES);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_UPLOAD_LIMIT;
};

/** The summary without server paths: the browser has no use for them. */
function summaryJson(summary: ImportSummary) {
  const { source: _source, rejectsFile: _rejects, summaryFile: _summary, ...rest } = summary;
  return rest;
}

const uploadQuery = z.object({
  name: z.string().describe('The file’s name (required): its extension tells the format').optional(),
  format: z.string().describe(`${FILE_FORMATS.join(', ')}; default from the extension`).optional(),
});
apiOperation({
  method: 'post', path: '/api/v1/imports', tag: 'imports', role: 'analyst', summary: 'Upload a file to import (streamed, size-limited)', query: uploadQuery,
  bodyContentType: 'application/octet-stream', body: z.string().describe('The file'), responses: { 201: 'Uploaded; columns and detected presets', 400: 'No name, or a format Sada cannot read', 413: 'Too large' },
});

export function importRoutes(db: Database, defaultWorkspace: string, store = new UploadStore(uploadLimit())): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };
  /** One import at a time per upload: a double click must not run two. */
  const running = new Set<string>();

  const uploadOf = async (c: Context): Promise<{ workspace: Workspace; upload: Upload }> => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const upload = store.get(workspace.id, c.req.param('id') ?? '');
    if (!upload) throw new HTTPException(404, { message: 'There is no such upload in this workspace (uploads are deleted after an hour unused): upload the file again.' });
    return { workspace, upload };
  };

  const readPlan = async (c: Context, upload: Upload): Promise<{ body: PlanBody; plan: ReadPlan }> => {
    const raw = await readJsonBody(c, BODY_LIMIT);
    if (!raw.ok) throw new HTTPException(raw.status, { message: raw.message });
    const parsed = planSchema.safeParse(raw.value);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)).join('; ');
      throw new HTTPException(400, { message });
    }
    try {
      const inspection = upload.format === 'json' ? await inspectFile(upload.path, upload.format) : undefined;
      const plan = await planImport(upload.path, upload.format, parsed.data.kind, { preset: parsed.data.preset, mapping: parsed.data.mapping, jsonPath: inspection?.jsonPath });
      return { body: parsed.data, plan };
    } catch (error) {
      throw asBadRequest(error);
    }
  };

  const run = async (c: Context, dryRun: boolean) => {
    const { workspace, upload } = await uploadOf(c);
    const { body, plan } = await readPlan(c, upload);
    if (running.has(upload.id)) throw new HTTPException(409, { message: 'This file is being imported already; wait for that run to finish.' });
    running.add(upload.id);
    try {
      const summary = await importFile(db, {
        workspace,
        kind: body.kind,
        path: upload.path,
        mapping: plan.mapping,
        format: plan.format,
        timezone: body.timezone,
        reportDir: upload.reportDir,
        dryRun,
        shownRejects: SHOWN_REJECTS,
        ...(plan.records ? { records: plan.records } : {}),
        ...(plan.checks ? { checks: plan.checks } : {}),
        ...(plan.preset ? { preset: plan.preset } : {}),
      });
      if (!dryRun) {
        await writeAudit(db, {
          workspaceId: workspace.id,
          actor: actorOf(c.get('principal')),
          action: 'import.commit',
          target: `import:${body.kind}`,
          details: { file: upload.name, kind: body.kind, preset: plan.preset ?? null, rows: summary.rows, inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected },
        });
        await evaluateAlertsSoon(db, workspace.id); // alert rules see the new rows (docs/alerts.md)
      }
      return c.json({ id: upload.id, name: upload.name, ...summaryJson(summary) });
    } catch (error) {
      throw asBadRequest(error);
    } finally {
      running.delete(upload.id);
    }
  };

  routes.get('/imports/kinds', async (c) => {
    await workspaceOf(c, access, 'viewer');
    return c.json({
      kinds: RECORD_KIND_NAMES.map((name) => ({
        name,
        doc: RECORD_KINDS[name].doc,
        fields: (RECORD_KINDS[name].fields as readonly FieldSpec[])
          .filter((f) => f.name !== 'attributes')
          .map((f) => ({ name: f.name, type: f.type, required: f.required === true, doc: f.doc, ...(f.oneOf ? { oneOf: f.oneOf } : {}) })),
      })),
      presets: PRESETS.map((p) => ({ name: p.name, title: p.title, sources: p.sources.map((s) => ({ name: s.name, title: s.title, kind: s.kind })) })),
      dateFormats: NAMED_DATE_FORMATS,
      maxBytes: store.limit,
    });
  });

  routes.post('/imports', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const query = parseQuery(c, uploadQuery);
    const name = (query.name ?? '').trim();
    if (!name || name.length > 255) throw new HTTPException(400, { message: 'Name the file: POST /api/v1/imports?name=<file name> with the file as the body.' });
    const asked = query.format;
    if (asked !== undefined && !(FILE_FORMATS as readonly string[]).includes(asked)) throw new HTTPException(400, { message: `format must be one of ${FILE_FORMATS.join(', ')}` });
    const format = (asked as FileFormat | undefined) ?? guessFormat(name);
    if (!format) throw new HTTPException(400, { message: `Sada cannot tell the format of "${name}" from its extension ${extname(name) || '(none)'}: upload a .csv, .tsv, .json, .ndjson or .jsonl file, or add ?format=csv|tsv|json|ndjson.` });
    const length = Number(c.req.header('content-length') ?? NaN);
    if (length > store.limit) throw new UploadTooLargeHttp(new UploadTooLarge(store.limit));
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const body = incoming && !incoming.readableEnded ? incoming : c.req.raw.body ? Readable.fromWeb(c.req.raw.body as import('node:stream/web').ReadableStream<Uint8Array>) : undefined;
    if (!body) throw new HTTPException(400, { message: 'The request has no body: send the file itself as the body.' });
    let upload: Upload;
    try {
      upload = await store.receive(workspace.id, name, format, body);
    } catch (error) {
      if (error instanceof UploadTooLarge) throw new UploadTooLargeHttp(error);
      throw new HTTPException(400, { message: 'The upload was cut off before the file arrived whole; try again.' });
    }
    if (upload.size === 0) {
      store.delete(workspace.id, upload.id);
      throw new HTTPException(400, { message: `"${name}" is empty.` });
    }
    try {
      const inspection = await inspectFile(upload.path, upload.format);
      return c.json({ id: upload.id, name: upload.name, size: upload.size, ...inspection }, 201);
    } catch (error) {
      store.delete(workspace.id, upload.id);
      throw asBadRequest(error);
    }
  });

  routes.post('/imports/:id/preview', async (c) => {
    const { workspace, upload } = await uploadOf(c);
    const { body, plan } = await readPlan(c, upload);
    try {
      return c.json(await previewPlan(upload.path, body.kind, plan, body.timezone ?? workspace.timezone));
    } catch (error) {
      throw asBadRequest(error);
    }
  });

  routes.post('/imports/:id/dry-run', (c) => run(c, true));
  routes.post('/imports/:id/commit', (c) => run(c, false));

  routes.delete('/imports/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    if (!store.delete(workspace.id, c.req.param('id'))) throw new HTTPException(404, { message: 'There is no such upload in this workspace.' });
    return c.body(null, 204);
  });

  return routes;
}

class UploadTooLargeHttp extends HTTPException {
  constructor(error: UploadTooLarge) {
    super(413, { message: error.message });
  }
}

/** Mapping and preset problems are the person's to fix: 400 with the importer's own words. */
function asBadRequest(error: unknown): unknown {
  if (error instanceof HTTPException) return error;
  if (error instanceof MappingError || error instanceof PresetError) return new HTTPException(400, { message: capitalise(error.message) });
  return error;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
