import type { Queryable } from './accounts.ts';

/**
 * Theme labels (migration 0022, docs/text-analysis.md): per workspace and theme phrase (the
 * matching form, tokenize(…).join(' ')), the user's name for the theme, whether it is pinned
 * (always listed, first) and whether it is hidden (left out unless pinned).
 */
export interface ThemeLabel {
  phrase: string;
  name: string | null;
  pinned: boolean;
  hidden: boolean;
  updatedBy: string;
  updatedAt: string;
}

interface Row {
  phrase: string;
  name: string | null;
  pinned: boolean;
  hidden: boolean;
  updated_by: string;
  updated_at: Date | string;
}

const toLabel = (r: Row): ThemeLabel => ({ phrase: r.phrase, name: r.name, pinned: r.pinned, hidden: r.hidden, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() });

export async function listThemeLabels(db: Queryable, workspaceId: number): Promise<ThemeLabel[]> {
  const rows = await db.query<Row>('SELECT phrase, name, pinned, hidden, updated_by, updated_at FROM theme_labels WHERE workspace_id = $1 ORDER BY phrase', [workspaceId]);
  return rows.map(toLabel);
}

/** Sets the given fields (others keep their stored value, or their default on a new row). */
export async function upsertThemeLabel(
  db: Queryable,
  workspaceId: number,
  phrase: string,
  changes: { name?: string | null; pinned?: boolean; hidden?: boolean },
  updatedBy: string,
): Promise<ThemeLabel> {
  const [row] = await db.query<Row>(
    `INSERT INTO theme_labels (workspace_id, phrase, name, pinned, hidden, updated_by)
     VALUES ($1, $2, $3, coalesce($4::boolean, false), coalesce($5::boolean, false), $6)
     ON CONFLICT (workspace_id, phrase) DO UPDATE SET
       name = CASE WHEN $7::boolean THEN excluded.name ELSE theme_labels.name END,
       pinned = coalesce($4::boolean, theme_labels.pinned),
       hidden = coalesce($5::boolean, theme_labels.hidden),
       updated_by = excluded.updated_by,
       updated_at = now()
     RETURNING phrase, name, pinned, hidden, updated_by, updated_at`,
    [workspaceId, phrase, changes.name ?? null, changes.pinned ?? null, changes.hidden ?? null, updatedBy, changes.name !== undefined],
  );
  return toLabel(row!);
}

export async function deleteThemeLabel(db: Queryable, workspaceId: number, phrase: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM theme_labels WHERE workspace_id = $1 AND phrase = $2 RETURNING phrase', [workspaceId, phrase]);
  return rows.length > 0;
}
