import { z } from 'zod';

/**
 * Query parameters several routes share, as zod fields for their `apiOperation` query schemas:
 * the route reads them through parseQuery (openapi.ts) and the document describes them from the
 * same objects. Each is an optional string; the route checks the value itself where the check
 * needs the workspace (a period label, a dimension name) and answers 400 with what to fix.
 */
export const text = (description: string) => z.string().describe(description).optional();
export const day = (what: string) => text(`${what}: YYYY-MM-DD, or a period label such as 2026-05 or 2026-Q2, in the workspace's time zone`);
export const where = z.array(z.string()).describe('A filter dimension=value; repeat it for several, e.g. where=touchpoint=checkout').optional();
export const windowQuery = { from: day('First day'), to: day('Last day'), where };
