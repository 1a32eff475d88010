import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { metricReport } from '../src/reports/metric-report.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import { hookSecret } from '../src/storage/hook-secrets.ts';
import { findWorkspace, type Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { formatPath } from './support/formats.ts';

/**
 * The Import and Settings pages' API: uploads streamed to a temporary file, a dry run that
 * stores nothing but reports what the commit will do (line, column, reason of each bad row), a
 * commit that a second commit leaves unchanged; workspace settings validated, audited, and
 * followed by the metrics; webhook secrets set and rotated. Roles and workspaces kept apart.
 */

const DATASETS = process.env.SADA_DATASETS_DIR || fileURLToPath(new URL('../../shared/datasets/', import.meta.url));
const HEARTBEAT = join(DATASETS, 'mozilla-heartbeat-input', 'feedbackSample.csv');

describeEachEngine('import and settings API', (t) => {
  const keyFor = async (workspace: Workspace, role: Role) => (await createApiKey(t.db, { workspaceId: workspace.id, name: `${role} key`, role })).secret;
  /** One app for the whole test: uploads live in its store. */
  const client = () => {
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: 'nowhere' });
    return async (key: string, method: string, path: string, body?: unknown, raw?: string | Buffer) => {
      const response = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: (raw ?? (body === undefined ? undefined : JSON.stringify(body))) as BodyInit | undefined,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
  };
  const count = async (table: string, workspace: Workspace) =>
    Number((await t.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table} WHERE workspace_id = $1`, [workspace.id]))[0]!.n);

  test('upload → preview → dry run stores nothing and shows each bad row → commit → commit again changes nothing', async () => {
    const ws = await t.workspace('imp');
    const analyst = await keyFor(ws, 'analyst');
    const viewer = await keyFor(ws, 'viewer');
    const call = client();
    const q = `workspace=${ws.name}`;
    const file = readFileSync(HEARTBEAT);

    assert.equal((await call(viewer, 'POST', `/api/v1/imports?${q}&name=feedback.csv`, undefined, file)).status, 403, 'viewers do not import');
    const noName = await call(analyst, 'POST', `/api/v1/imports?${q}`, undefined, file);
    assert.equal(noName.status, 400);
    assert.match(noName.body.message, /Name the file/);
    const badExt = await call(analyst, 'POST', `/api/v1/imports?${q}&name=feedback.xlsx`, undefined, file);
    assert.equal(badExt.status, 400);
    assert.match(badExt.body.message, /\.csv, \.tsv, \.json/);

    const uploaded = await call(analyst, 'POST', `/api/v1/imports?${q}&name=feedbackSample.csv`, undefined, file);
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    assert.deepEqual(uploaded.body.columns, ['date', 'happy', 'browser', 'browser_version', 'platform', 'user_agent', 'description']);
    assert.equal(uploaded.body.size, file.length);
    assert.equal(uploaded.body.rows[0].line, 2);
    assert.equal(uploaded.body.rows[0].cells.date, '12/6/2015');
    const id = uploaded.body.id as string;

    // A mapping with the date format left on "auto": 12/6/2015 could be either order.
    const mapping = {
      fields: {
        kind: { value: 'rating' },
        score: 'happy',
        scale_min: { value: 0 },
        scale_max: { value: 1 },
        comment: 'description',
        submitted_at: 'date',
        channel: { value: 'web' },
      },
    };
    const preview = await call(analyst, 'POST', `/api/v1/imports/${id}/preview?${q}`, { kind: 'responses', mapping });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.rows[0].ok, false);
    assert.deepEqual(
      { ...preview.body.rows[0].problems[0], reason: preview.body.rows[0].problems[0].reason.slice(0, 40) },
      { line: 2, column: 'date (column 1)', field: 'submitted_at', value: '12/6/2015', reason: '"12/6/2015" could be day/month or month/' },
    );

    const dry = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.dryRun, true);
    assert.ok(dry.body.rejected > 0);
    assert.equal(dry.body.firstRejects[0].line, 2);
    assert.equal(dry.body.firstRejects[0].column, 'date (column 1)');
    assert.equal(dry.body.source, undefined, 'no server paths in the answer');
    assert.equal(await count('responses', ws), 0, 'a dry run stores nothing');
    assert.equal(await count('import_runs', ws), 0, 'not even an import run');

    // The date format fixed: the dry run says what the commit will do, exactly.
    const fixed = { ...mapping, fields: { ...mapping.fields, submitted_at: { column: 'date', format: 'mm/dd/yyyy' } } };
    const dry2 = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping: fixed });
    assert.equal(dry2.body.rejected, 0, JSON.stringify(dry2.body.firstRejects));
    assert.equal(dry2.body.inserted, 6072);
    assert.equal(await count('responses', ws), 0);

    assert.equal((await call(viewer, 'POST', `/api/v1/imports/${id}/commit?${q}`, { kind: 'responses', mapping: fixed })).status, 403);
    const commit = await call(analyst, 'POST', `/api/v1/imports/${id}/commit?${q}`, { kind: 'responses', mapping: fixed });
    assert.equal(commit.status, 200, JSON.stringify(commit.body));
    assert.deepEqual([commit.body.dryRun, commit.body.inserted, commit.body.updated, commit.body.unchanged, commit.body.rejected], [false, dry2.body.inserted, dry2.body.updated, dry2.body.unchanged, 0]);
    assert.equal(await count('responses', ws), 6072);

    const again = await call(analyst, 'POST', `/api/v1/imports/${id}/commit?${q}`, { kind: 'responses', mapping: fixed });
    assert.deepEqual([again.body.inserted, again.body.updated, again.body.unchanged], [0, 0, 6072], 're-running the same file changes nothing');
    const dry3 = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping: fixed });
    assert.deepEqual([dry3.body.inserted, dry3.body.updated, dry3.body.unchanged], [0, 0, 6072], 'a dry run after the commit: nothing left to do');

    const audit = await listAudit(t.db, ws.id);
    assert.deepEqual(audit.filter((a) => a.action === 'import.commit').map((a) => a.details.inserted), [0, 6072]);

    // Validation: people get messages they can act on.
    const badKind = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'tweets', mapping });
    assert.equal(badKind.status, 400);
    assert.match(badKind.body.message, /kind must be one of customers/);
    const badField = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping: { fields: { mood: 'happy', submitted_at: 'date' } } });
    assert.equal(badField.status, 400);
    assert.match(badField.body.message, /"mood" is not a field of responses/);
    const missing = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping: { fields: { kind: { value: 'rating' }, submitted_at: 'when' } } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /column "when", which the file does not have/);
    const both = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping, preset: 'zendesk' });
    assert.equal(both.status, 400);
    const badPreset = await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', preset: 'zendesk' });
    assert.equal(badPreset.status, 400);
    assert.match(badPreset.body.message, /does not look like a Zendesk export/);

    // Another workspace's analyst does not see this upload; the owner deletes it.
    const other = await t.workspace('imp-other');
    const stranger = await keyFor(other, 'admin');
    assert.equal((await call(stranger, 'POST', `/api/v1/imports/${id}/dry-run?workspace=${other.name}`, { kind: 'responses', mapping })).status, 404);
    assert.equal((await call(stranger, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping })).status, 404, 'a foreign workspace is not found');
    assert.equal((await call(analyst, 'DELETE', `/api/v1/imports/${id}?${q}`)).status, 204);
    assert.equal((await call(analyst, 'POST', `/api/v1/imports/${id}/dry-run?${q}`, { kind: 'responses', mapping })).status, 404);
  });

  test('a preset is detected from the file\'s shape and imports without a mapping', async () => {
    const ws = await t.workspace('imp-preset');
    const analyst = await keyFor(ws, 'analyst');
    const call = client();
    const q = `workspace=${ws.name}`;
    const uploaded = await call(analyst, 'POST', `/api/v1/imports?${q}&name=export.json`, undefined, readFileSync(formatPath('zendesk-tickets-incremental.json')));
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    assert.equal(uploaded.body.presets[0].spec, 'zendesk:tickets');
    assert.equal(uploaded.body.presets[0].kind, 'tickets');
    const body = { kind: 'tickets', preset: uploaded.body.presets[0].spec };
    const preview = await call(analyst, 'POST', `/api/v1/imports/${uploaded.body.id}/preview?${q}`, body);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.ok(preview.body.rows.every((r: { ok: boolean }) => r.ok));
    const dry = await call(analyst, 'POST', `/api/v1/imports/${uploaded.body.id}/dry-run?${q}`, body);
    assert.equal(await count('tickets', ws), 0);
    const commit = await call(analyst, 'POST', `/api/v1/imports/${uploaded.body.id}/commit?${q}`, body);
    assert.equal(commit.body.preset, 'zendesk:tickets');
    assert.deepEqual([commit.body.inserted, commit.body.rejected], [dry.body.inserted, dry.body.rejected]);
    assert.equal(await count('tickets', ws), commit.body.inserted);
  });

  test('settings: anyone reads, admins change; validated, audited; the time zone rebuilds rollups; thresholds and churn window reach the metrics', async () => {
    const ws = await t.workspace('set');
    const admin = await keyFor(ws, 'admin');
    const viewer = await keyFor(ws, 'viewer');
    const call = client();
    const q = `workspace=${ws.name}`;
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at) VALUES
       ($1, 'a', 'csat', 5, 1, 5, '2026-03-31T22:30:00Z'), ($1, 'b', 'csat', 4, 1, 5, '2026-03-10T10:00:00Z'), ($1, 'c', 'csat', 3, 1, 5, '2026-03-11T10:00:00Z')`,
      [ws.id],
    );

    const read = await call(viewer, 'GET', `/api/v1/workspace-settings?${q}`);
    assert.equal(read.status, 200);
    assert.deepEqual([read.body.timezone, read.body.businessHours, read.body.metrics.positiveFrom['1-5'], read.body.churnDays, read.body.role], ['UTC', { days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' }, 4, 90, 'viewer']);
    assert.equal((await call(viewer, 'PATCH', `/api/v1/workspace-settings?${q}`, { churnDays: 60 })).status, 403);

    for (const [body, message] of [
      [{ timezone: 'Mars/Olympus' }, /IANA time zone/],
      [{ businessHours: { days: [1, 8], opens: '09:00', closes: '17:00' } }, /ISO weekdays/],
      [{ businessHours: { days: [1], opens: '18:00', closes: '17:00' } }, /closing time must be after opening time/],
      [{ metrics: { positiveFrom: { '1-5': 6 } } }, /from 2 to 5, not 6/],
      [{ metrics: { easyFrom: { '2-9': 6 } } }, /not a scale Sada scores/],
      [{ churnDays: 3 }, /at least 7 days/],
      [{ churn: 30 }, /unknown field churn/],
    ] as const) {
      const refused = await call(admin, 'PATCH', `/api/v1/workspace-settings?${q}`, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.body.message, message);
    }

    const before = await metricReport(t.db, (await findWorkspace(t.db, ws.name))!, { metric: 'csat', by: ['month'] });
    assert.deepEqual(before.groups.map((g) => [g.key.month, g.n]), [['2026-03', 3]]);
    const changed = await call(admin, 'PATCH', `/api/v1/workspace-settings?${q}`, { timezone: 'Asia/Riyadh', metrics: { positiveFrom: { '1-5': 5 } }, churnDays: 60, businessHours: { days: [7, 1, 2, 3, 4], opens: '08:00', closes: '16:00' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.changed, ['timezone', 'businessHours', 'metrics', 'churnDays']);
    assert.ok(changed.body.rebuilt.includes('responses_monthly'), 'the rollups are rebuilt in the new zone');
    const reread = await call(viewer, 'GET', `/api/v1/workspace-settings?${q}`);
    assert.deepEqual([reread.body.timezone, reread.body.metrics.positiveFrom['1-5'], reread.body.metrics.positiveFrom['1-10'], reread.body.churnDays], ['Asia/Riyadh', 5, 9, 60]);

    const after = await metricReport(t.db, (await findWorkspace(t.db, ws.name))!, { metric: 'csat', by: ['month'] });
    assert.deepEqual(after.groups.map((g) => [g.key.month, g.n, g.value]), [['2026-03', 2, 0], ['2026-04', 1, 100]], 'March 31 22:30 UTC is April 1 in Riyadh; only 5 of 5 is satisfied now');
    assert.equal(after.computedFrom, 'rollups', 'read from the rebuilt rollups');

    const audit = await listAudit(t.db, ws.id);
    assert.equal(audit[0]!.action, 'settings.update');
    assert.deepEqual(audit[0]!.details.timezone, { from: 'UTC', to: 'Asia/Riyadh' });
    // What GET returns can be sent back as it is (the page does).
    const echoed = await call(admin, 'PATCH', `/api/v1/workspace-settings?${q}`, { timezone: reread.body.timezone, businessHours: reread.body.businessHours, metrics: reread.body.metrics, churnDays: reread.body.churnDays });
    assert.equal(echoed.status, 200, JSON.stringify(echoed.body));
    assert.deepEqual(echoed.body.changed, []);
    const same = await call(admin, 'PATCH', `/api/v1/workspace-settings?${q}`, { churnDays: 60 });
    assert.deepEqual([same.body.changed, same.body.rebuilt], [[], []]);
    assert.equal((await listAudit(t.db, ws.id)).length, audit.length, 'no change, no audit row');

    const stranger = await keyFor(await t.workspace('set-other'), 'admin');
    assert.equal((await call(stranger, 'GET', `/api/v1/workspace-settings?${q}`)).status, 404);
    assert.equal((await call(stranger, 'PATCH', `/api/v1/workspace-settings?${q}`, { churnDays: 30 })).status, 404);
  });

  test('webhook secrets: listed with their URLs, set by Sada (shown once) or pasted, removed; admins only', async () => {
    const ws = await t.workspace('hooks-set');
    const admin = await keyFor(ws, 'admin');
    const analyst = await keyFor(ws, 'analyst');
    const call = client();
    const q = `workspace=${ws.name}`;
    assert.equal((await call(analyst, 'GET', `/api/v1/hook-receivers?${q}`)).status, 403);
    const list = await call(admin, 'GET', `/api/v1/hook-receivers?${q}`);
    const typeform = list.body.receivers.find((r: { tool: string }) => r.tool === 'typeform');
    assert.deepEqual([typeform.secretSet, typeform.secretFrom, typeform.url], [false, 'sada', `http://localhost/api/v1/hooks/typeform?workspace=${ws.name}`]);

    const made = await call(admin, 'PUT', `/api/v1/hook-receivers/typeform/secret?${q}`, {});
    assert.equal(made.status, 200);
    assert.equal(await hookSecret(t.db, ws.id, 'typeform'), made.body.secret);
    const rotated = await call(admin, 'PUT', `/api/v1/hook-receivers/typeform/secret?${q}`, {});
    assert.notEqual(rotated.body.secret, made.body.secret);
    assert.equal(await hookSecret(t.db, ws.id, 'typeform'), rotated.body.secret);

    const needsPaste = await call(admin, 'PUT', `/api/v1/hook-receivers/stripe/secret?${q}`, {});
    assert.equal(needsPaste.status, 400);
    assert.match(needsPaste.body.message, /Stripe makes the secret/);
    assert.equal((await call(admin, 'PUT', `/api/v1/hook-receivers/stripe/secret?${q}`, { secret: 'short' })).status, 400);
    const pasted = await call(admin, 'PUT', `/api/v1/hook-receivers/stripe/secret?${q}`, { secret: 'whsec_0123456789abcdef' });
    assert.equal(pasted.status, 200);
    assert.equal(pasted.body.secret, undefined, 'a pasted secret is not echoed');
    const relisted = await call(admin, 'GET', `/api/v1/hook-receivers?${q}`);
    assert.deepEqual(relisted.body.receivers.filter((r: { secretSet: boolean }) => r.secretSet).map((r: { tool: string }) => r.tool), ['stripe', 'typeform']);
    assert.ok(!JSON.stringify(relisted.body).includes('whsec_0123456789abcdef'), 'secrets are never listed');
    assert.equal((await call(admin, 'DELETE', `/api/v1/hook-receivers/stripe/secret?${q}`)).status, 204);
    assert.equal(await hookSecret(t.db, ws.id, 'stripe'), undefined);
    assert.equal((await call(admin, 'PUT', `/api/v1/hook-receivers/fax/secret?${q}`, {})).status, 404);
    const audit = (await listAudit(t.db, ws.id)).map((a) => a.action);
    assert.deepEqual(audit, ['hook_secret.remove', 'hook_secret.set', 'hook_secret.set', 'hook_secret.set']);
    assert.ok(!JSON.stringify(await listAudit(t.db, ws.id)).includes('whsec_'), 'the audit log never holds a secret');
  });
});
