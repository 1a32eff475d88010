import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Personal survey links carry who is answering (customer or employee, order, ticket) in a token
 * signed with the workspace's link key (HMAC-SHA256), so the answer joins the person's record
 * and nobody can answer as someone else by editing the link. Format: base64url(JSON) "." base64url(MAC).
 */

const claimsSchema = z.object({
  /** Survey id: a token opens one survey only. */
  s: z.string(),
  /** Customer id. */
  c: z.string().optional(),
  /** Employee id (ESAT / eNPS). */
  e: z.string().optional(),
  o: z.string().optional(),
  t: z.string().optional(),
  /** Preferred language from the person's profile. */
  l: z.string().optional(),
  /** Random nonce: the single-use key of the link. */
  n: z.string(),
  /** Expiry, seconds since the epoch. */
  x: z.number().int().optional(),
});
export type LinkClaims = z.infer<typeof claimsSchema>;

export interface LinkSubject {
  survey: string;
  customer?: string;
  employee?: string;
  order?: string;
  ticket?: string;
  language?: string;
  /** Seconds the link stays valid. */
  validForSeconds?: number;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function signLink(key: Buffer, subject: LinkSubject, now = Date.now()): string {
  const claims: LinkClaims = {
    s: subject.survey,
    ...(subject.customer ? { c: subject.customer } : {}),
    ...(subject.employee ? { e: subject.employee } : {}),
    ...(subject.order ? { o: subject.order } : {}),
    ...(subject.ticket ? { t: subject.ticket } : {}),
    ...(subject.language ? { l: subject.language } : {}),
    n: randomBytes(12).toString('base64url'),
    ...(subject.validForSeconds ? { x: Math.floor(now / 1000) + subject.validForSeconds } : {}),
  };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'other_survey' };

/** `ignoreExpiry`: for opting out, which an old link must still allow. */
export function verifyLink(key: Buffer, token: string, surveyId: string, now = Date.now(), options: { ignoreExpiry?: boolean } = {}): LinkCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || token.length > 2048) return { ok: false, reason: 'malformed' };
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  let claims: LinkClaims;
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    claims = parsed.data;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.s !== surveyId) return { ok: false, reason: 'other_survey' };
  if (!options.ignoreExpiry && claims.x !== undefined && claims.x * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
