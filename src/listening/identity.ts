import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Widget identities: the business's server signs its user's id with the workspace's identity
 * secret, `HMAC-SHA256(secret, userId)` in hex, and the page calls `sada.identify(userId, hmac)`.
 * An answer that carries an id with its valid HMAC belongs to that customer; anything else (no
 * HMAC, a wrong one, one made with another workspace's secret or for another id) is anonymous.
 * Pure: the secret comes from storage (`identitySecret` in src/storage/surveys.ts).
 */

export interface Identity {
  id: string;
  hmac: string;
}

/** The longest user id and HMAC text the public API takes. */
export const MAX_IDENTITY_ID = 200;
export const MAX_IDENTITY_HMAC = 128;

/**
 * The HMAC a business's server computes for a user id: lower-case hex of HMAC-SHA256 keyed with
 * the secret's 32 bytes (the hex that `sada survey identity-secret` prints, decoded).
 */
export function identityHmac(secret: Buffer, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * The user id when the HMAC is the one the secret makes for it, else undefined. Compared in
 * constant time; upper-case hex is accepted. The key is the secret's bytes; an HMAC keyed with
 * the printed hex text itself (what `createHmac('sha256', process.env.SECRET)` or PHP's
 * `hash_hmac` do when the hex is not decoded) is accepted too: it is the same secret, and the
 * mistake would otherwise only show as answers that silently stay anonymous.
 */
export function verifiedIdentity(secret: Buffer, identity: Identity | undefined): string | undefined {
  if (!identity) return undefined;
  const { id, hmac } = identity;
  if (id.length === 0 || id.length > MAX_IDENTITY_ID || !HEX_SHA256.test(hmac)) return undefined;
  const given = Buffer.from(hmac, 'hex');
  const byBytes = timingSafeEqual(given, createHmac('sha256', secret).update(id, 'utf8').digest());
  const byText = timingSafeEqual(given, createHmac('sha256', secret.toString('hex')).update(id, 'utf8').digest());
  return byBytes || byText ? id : undefined;
}
