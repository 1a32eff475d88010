import { Hono } from 'hono';
import { storeHookRecords } from '../../import/hook-import.ts';
import { findHookTool, HOOK_TOOLS, type HookRequest } from '../../import/hooks.ts';
import type { Database } from '../../storage/database.ts';
import { hookSecret } from '../../storage/hook-secrets.ts';
import type { Workspace } from '../../storage/workspaces.ts';
import { readRawBody } from '../json-body.ts';
import { RateLimiter } from '../rate-limit.ts';
import type { WorkspaceCache } from '../workspace-cache.ts';

/**
 * POST /api/v1/hooks/<tool>?workspace=<name>: the tools' webhooks (Zendesk, Shopify, Stripe…)
 * deliver new tickets, orders and ratings as they happen. Each delivery is authenticated by the
 * tool's signature over the raw body with the workspace's secret for that tool (not by the API
 * token: the tools cannot send one), then read by the same preset as a file export and upserted,
 * so a delivery sent twice changes nothing. src/import/hooks.ts has each tool's rules;
 * docs/presets.md#webhooks what to paste in each tool.
 */

/** A delivery is one record; a large Shopify order or a Typeform response with its form stays well under this. */
export const HOOK_BODY_LIMIT = 1024 * 1024;
/** Deliveries one workspace takes per minute, from every tool together, unless settings.hooks.perMinute says otherwise. */
export const DEFAULT_HOOKS_PER_MINUTE = 600;

export function hooksPerMinute(workspace: Workspace): number {
  const value = (workspace.settings as { hooks?: { perMinute?: unknown } }).hooks?.perMinute;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : DEFAULT_HOOKS_PER_MINUTE;
}

export interface HookRoutesOptions {
  db: Database;
  workspaces: WorkspaceCache;
}

export function hookRoutes({ db, workspaces }: HookRoutesOptions): Hono {
  const routes = new Hono();
  const limiter = new RateLimiter(60_000, Number.POSITIVE_INFINITY);

  routes.post('/:tool', async (c) => {
    const tool = findHookTool(c.req.param('tool'));
    if (!tool) {
      return c.json({ error: 'not_found', message: `No webhook receiver for "${c.req.param('tool')}". Receivers: ${HOOK_TOOLS.map((t) => t.name).join(', ')}.` }, 404);
    }
    const name = c.req.query('workspace');
    if (!name) return c.json({ error: 'bad_request', message: `Add the workspace to the URL: /api/v1/hooks/${tool.name}?workspace=<name>.` }, 400);
    const workspace = await workspaces.find(name);
    if (!workspace) return c.json({ error: 'not_found', message: `There is no workspace "${name}".` }, 404);

    // Before the body is read or a secret looked up: a flood costs one map lookup a request.
    const admitted = limiter.hit(String(workspace.id), hooksPerMinute(workspace));
    if (!admitted.allowed) {
      return c.json(
        { error: 'rate_limited', message: `Workspace "${name}" takes ${hooksPerMinute(workspace)} webhook deliveries a minute (settings.hooks.perMinute); try again in ${admitted.retryAfterSeconds} s.` },
        429,
        { 'Retry-After': String(admitted.retryAfterSeconds) },
      );
    }

    const secret = await hookSecret(db, workspace.id, tool.name);
    if (!secret) {
      return c.json(
        { error: 'unauthorized', message: `No ${tool.preset.title} secret is set for workspace "${name}", so no delivery can be checked: run sada hooks secret ${tool.name} --workspace ${name}${tool.secretFrom === 'tool' ? ' --secret <the secret ' + tool.preset.title + ' shows>' : ''}.` },
        401,
      );
    }
    const body = await readRawBody(c, HOOK_BODY_LIMIT, 'a webhook delivery is one record');
    if (!body.ok) return c.json({ error: body.status === 413 ? 'too_large' : 'bad_request', message: body.message }, body.status);

    const request: HookRequest = { header: (h) => c.req.header(h), query: (q) => c.req.query(q), raw: body.bytes, now: Date.now() };
    const verdict = tool.verify(request, secret);
    if (!verdict.ok) return c.json({ error: 'unauthorized', message: verdict.message }, 401);
    if (verdict.ping) return c.json({ tool: tool.name, workspace: name, ping: true, message: 'Ping received: deliveries to this URL will be imported.' }, 200);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.bytes.toString('utf8'));
    } catch {
      return c.json({ error: 'bad_request', message: `The body is not valid JSON: ${tool.preset.title} webhooks send JSON (choose JSON as the format in ${tool.preset.title}).` }, 400);
    }
    const unwrapped = tool.unwrap(parsed, request);
    if ('ignored' in unwrapped) return c.json({ tool: tool.name, workspace: name, stored: [], ignored: unwrapped.ignored }, 202);

    const outcomes = await storeHookRecords(db, workspace, unwrapped.records);
    const problems = outcomes.flatMap((o) => o.problems.map((p) => `${o.source}: ${p.field || p.column} ${p.value === '' ? '' : `"${p.value}" `}${p.reason}`));
    if (problems.length > 0) console.warn(`sada: webhook ${tool.name} for workspace ${name}: ${problems.join('; ')}`);
    return c.json(
      {
        tool: tool.name,
        workspace: name,
        stored: outcomes.map(({ kind, source, inserted, updated, unchanged, skipped }) => ({ kind, source, inserted, updated, unchanged, ...(skipped.length > 0 ? { notImported: skipped } : {}) })),
        ...(problems.length > 0 ? { rejected: problems } : {}),
      },
      200,
    );
  });
  return routes;
}
