import type { Database } from './database.ts';

/**
 * Reads for the monthly report's sections that are lists, not metrics: the alerts that fired in
 * the month (table alert_events, migration 0016). Every query starts from the workspace.
 */

export interface FiredAlert {
  id: number;
  ruleName: string;
  kind: string;
  period: string | null;
  figure: Record<string, unknown>;
  firedAt: string;
}

/** Alerts fired in [from, to) and sent (not suppressed by a cool-down), newest first, at most `limit`; and how many in all. */
export async function alertsFiredBetween(db: Database, workspaceId: number, from: Date, to: Date, limit: number): Promise<{ alerts: FiredAlert[]; total: number; suppressed: number }> {
  const [counts] = await db.query<{ total: number; suppressed: number }>(
    `SELECT count(*) FILTER (WHERE NOT suppressed)::integer AS total, count(*) FILTER (WHERE suppressed)::integer AS suppressed
     FROM alert_events WHERE workspace_id = $1 AND fired_at >= $2 AND fired_at < $3`,
    [workspaceId, from.toISOString(), to.toISOString()],
  );
  const rows = await db.query<{ id: number; rule_name: string; kind: string; period: string | null; figure: Record<string, unknown> | string; fired_at: Date | string }>(
    `SELECT id, rule_name, kind, period, figure, fired_at FROM alert_events
     WHERE workspace_id = $1 AND fired_at >= $2 AND fired_at < $3 AND NOT suppressed
     ORDER BY fired_at DESC, id DESC LIMIT $4`,
    [workspaceId, from.toISOString(), to.toISOString(), limit],
  );
  return {
    total: counts?.total ?? 0,
    suppressed: counts?.suppressed ?? 0,
    alerts: rows.map((r) => ({
      id: Number(r.id),
      ruleName: r.rule_name,
      kind: r.kind,
      period: r.period,
      figure: typeof r.figure === 'string' ? (JSON.parse(r.figure) as Record<string, unknown>) : r.figure,
      firedAt: new Date(r.fired_at).toISOString(),
    })),
  };
}
