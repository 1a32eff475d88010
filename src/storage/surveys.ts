import { randomBytes } from 'node:crypto';
import { isScored, scaleOf, type Survey } from '../listening/survey.ts';
import type { Database, Transaction } from './database.ts';
import { freshRollups } from './rollups.ts';

/** Surveys, their link keys and identity secrets, and their coupon pools. */

/**
 * Creates or replaces a survey. `within` runs in the same transaction once the row is written,
 * knowing whether it was new: the management API writes its audit row there, and throws to
 * refuse (a create that would replace, an update of a survey that does not exist) — rolled back.
 */
export async function saveSurvey(
  db: Database,
  workspaceId: number,
  survey: Survey,
  within?: (tx: Transaction, outcome: 'created' | 'updated') => Promise<void>,
): Promise<'created' | 'updated'> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ inserted: boolean }>(
      `INSERT INTO surveys (workspace_id, id, name, touchpoint, channel, definition, status) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, id) DO UPDATE SET name = EXCLUDED.name, touchpoint = EXCLUDED.touchpoint, channel = EXCLUDED.channel,
         definition = EXCLUDED.definition, status = EXCLUDED.status, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [workspaceId, survey.id, survey.name, survey.touchpoint, survey.channel ?? null, JSON.stringify(survey), survey.status],
    );
    // The questions as rows too, so SQL can join answers to their wording.
    await tx.query('DELETE FROM questions WHERE workspace_id = $1 AND survey_id = $2', [workspaceId, survey.id]);
    for (const [position, q] of survey.questions.entries()) {
      const scale = isScored(q) ? scaleOf(q) : undefined;
      await tx.query(
        `INSERT INTO questions (workspace_id, survey_id, id, kind, scale_min, scale_max, position, text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [workspaceId, survey.id, q.id, q.kind, scale?.min ?? null, scale?.max ?? null, position, JSON.stringify(q.text)],
      );
    }
    await tx.query(
      `INSERT INTO touchpoints (workspace_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [workspaceId, survey.touchpoint],
    );
    if (survey.channel) await tx.query(`INSERT INTO channels (workspace_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [workspaceId, survey.channel]);
    const outcome = row?.inserted ? 'created' : 'updated';
    await within?.(tx, outcome);
    return outcome;
  }).finally(() => cacheOf(db).delete(`${workspaceId}\u0000${survey.id}`));
}

export interface StoredSurvey {
  survey: Survey;
  status: 'open' | 'closed';
}

/** Surveys change rarely and are read on every answer: kept for a few seconds per process. */
const CACHE_MS = 5_000;
const caches = new WeakMap<Database, Map<string, { at: number; value: StoredSurvey | undefined }>>();
function cacheOf(db: Database) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

export async function findSurvey(db: Database, workspaceId: number, surveyId: string, options: { fresh?: boolean } = {}): Promise<StoredSurvey | undefined> {
  const cache = cacheOf(db);
  const key = `${workspaceId}\u0000${surveyId}`;
  const hit = cache.get(key);
  if (hit && !options.fresh && Date.now() - hit.at < CACHE_MS) return hit.value;
  const [row] = await db.query<{ definition: Survey; status: 'open' | 'closed' }>(
    'SELECT definition, status FROM surveys WHERE workspace_id = $1 AND id = $2',
    [workspaceId, surveyId],
  );
  // Imported surveys (from another tool's export) have no definition Sada can ask.
  const value = row && Array.isArray(row.definition?.questions) ? { survey: { ...row.definition, status: row.status }, status: row.status } : undefined;
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { at: Date.now(), value });
  return value;
}

export interface SurveyListRow {
  id: string;
  name: string;
  touchpoint: string | null;
  status: string;
  /** Finished responses. */
  completed: number;
  /** The stored document (an imported survey's is whatever its tool exported, or {}). */
  definition: Partial<Survey>;
  updatedAt: Date | null;
}

export async function listSurveys(db: Database, workspaceId: number): Promise<SurveyListRow[]> {
  return db.query(
    `SELECT s.id, s.name, s.touchpoint, s.status, s.definition, coalesce(s.updated_at, s.created_at) AS "updatedAt",
       (SELECT count(*)::integer FROM submissions m WHERE m.workspace_id = s.workspace_id AND m.survey_id = s.id AND m.completed_at IS NOT NULL) AS completed
     FROM surveys s WHERE s.workspace_id = $1 ORDER BY s.touchpoint, s.id`,
    [workspaceId],
  );
}

/**
 * Opens or closes a survey; false when it does not exist. `within` runs in the same
 * transaction with the status it had before (the management API's audit row).
 */
export async function setSurveyStatus(
  db: Database,
  workspaceId: number,
  surveyId: string,
  status: 'open' | 'closed',
  within?: (tx: Transaction, before: 'open' | 'closed') => Promise<void>,
): Promise<boolean> {
  return db
    .transaction(async (tx) => {
      const [row] = await tx.query<{ status: 'open' | 'closed' }>('SELECT status FROM surveys WHERE workspace_id = $1 AND id = $2 FOR UPDATE', [workspaceId, surveyId]);
      if (!row) return false;
      await tx.query(
        `UPDATE surveys SET status = $3, definition = jsonb_set(definition, '{status}', to_jsonb($3::text)), updated_at = now() WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, surveyId, status],
      );
      await within?.(tx, row.status);
      return true;
    })
    .finally(() => cacheOf(db).delete(`${workspaceId}\u0000${surveyId}`));
}

/** The workspace's key for signing personal links, created on first use. */
export function linkKey(db: Database, workspaceId: number): Promise<Buffer> {
  return workspaceSecret(db, workspaceId, 'links');
}

/**
 * The workspace's secret for widget identities (`HMAC-SHA256(secret, userId)`, see
 * src/listening/identity.ts), created on first use. Unlike the link key it is given to the
 * business (`sada survey identity-secret`), whose server signs its users' ids with it.
 */
export function identitySecret(db: Database, workspaceId: number): Promise<Buffer> {
  return workspaceSecret(db, workspaceId, 'identity');
}

/** A workspace's random secret for one purpose, created on first use (link key, identities, client hashes). */
export async function workspaceSecret(db: Database, workspaceId: number, purpose: 'links' | 'identity' | 'clients'): Promise<Buffer> {
  await db.query(
    `INSERT INTO workspace_secrets (workspace_id, purpose, secret) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [workspaceId, purpose, randomBytes(32)],
  );
  const [row] = await db.query<{ secret: Uint8Array }>(`SELECT secret FROM workspace_secrets WHERE workspace_id = $1 AND purpose = $2`, [workspaceId, purpose]);
  if (!row) throw new Error(`the ${purpose} secret was not stored`);
  return Buffer.from(row.secret);
}

/** Adds codes to a survey's pool; codes already there are skipped. Returns how many were new. */
export async function addCoupons(db: Database, workspaceId: number, surveyId: string, codes: string[]): Promise<number> {
  const unique = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
  if (unique.length === 0) return 0;
  const rows = await db.query<{ code: string }>(
    `INSERT INTO survey_coupons (workspace_id, survey_id, code) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING RETURNING code`,
    [workspaceId, surveyId, unique],
  );
  return rows.length;
}

/** How many codes a survey's pool holds, and how many of them are not handed out yet. */
export async function couponCounts(db: Database, workspaceId: number, surveyId: string): Promise<{ total: number; free: number }> {
  const [row] = await db.query<{ total: number; free: number }>(
    `SELECT count(*)::integer AS total, (count(*) FILTER (WHERE submission_id IS NULL))::integer AS free
     FROM survey_coupons WHERE workspace_id = $1 AND survey_id = $2`,
    [workspaceId, surveyId],
  );
  return { total: row?.total ?? 0, free: row?.free ?? 0 };
}

/**
 * Scores each survey received, from every source (live answers and imports): from the daily
 * response rollup when it is fresh — O(rollup buckets), not O(responses) — else from the rows.
 * Surveys without scores are absent.
 */
export async function surveyScoreCounts(db: Database, workspaceId: number): Promise<Map<string, number>> {
  const fromRollups = (await freshRollups(db, workspaceId)).has('responses');
  const rows = await db.query<{ survey_id: string; scores: number }>(
    fromRollups
      ? `SELECT survey_id, sum(n)::integer AS scores FROM response_rollups WHERE workspace_id = $1 AND survey_id <> '' GROUP BY survey_id`
      : `SELECT survey_id, count(*)::integer AS scores FROM responses WHERE workspace_id = $1 AND survey_id IS NOT NULL AND score IS NOT NULL GROUP BY survey_id`,
    [workspaceId],
  );
  return new Map(rows.map((r) => [r.survey_id, Number(r.scores)]));
}
