import { randomInt } from 'node:crypto';
import type { Queryable } from './accounts.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const SHORT_CODE = /^[0-9A-Za-z]{10}$/;

export const newShortCode = (): string => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/**
 * A short code for `target` (a survey path on this server, `/s/…`), valid until `expiresAt`.
 * A clash of codes (one in 2^59 per pair) is retried with a new one rather than failing the send.
 */
export async function createShortLink(db: Queryable, workspaceId: number, target: string, expiresAt: Date): Promise<string> {
  if (!target.startsWith('/s/')) throw new Error(`a short link leads to a survey path, not ${target}`);
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newShortCode();
    const rows = await db.query<{ code: string }>(
      'INSERT INTO short_links (workspace_id, code, target, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING code',
      [workspaceId, code, target, expiresAt],
    );
    if (rows.length > 0) return code;
  }
  throw new Error('could not find a free short code');
}

export type ShortLinkLookup = { found: true; target: string } | { found: false; expired: boolean };

export async function resolveShortLink(db: Queryable, code: string, now = new Date()): Promise<ShortLinkLookup> {
  if (!SHORT_CODE.test(code)) return { found: false, expired: false };
  const [row] = await db.query<{ target: string; expires_at: Date | string }>('SELECT target, expires_at FROM short_links WHERE code = $1', [code]);
  if (!row) return { found: false, expired: false };
  if (new Date(row.expires_at).getTime() <= now.getTime()) return { found: false, expired: true };
  return { found: true, target: row.target };
}
