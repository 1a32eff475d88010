import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets handed to a browser or a server (session cookies, API keys, the setup link) are 32
 * random bytes; Sada keeps only their SHA-256, so a leaked table or log opens nothing. SHA-256
 * (not argon2) is right here: the tokens have 256 bits of entropy and are checked on every
 * request.
 */

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** API keys look like `sada_<43 characters>`, so secret scanners and people can tell them apart. */
export const API_KEY_PREFIX = 'sada_';
const API_KEY = /^sada_[A-Za-z0-9_-]{43}$/;

export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { secret, prefix: secret.slice(0, 12), hash: sha256Hex(secret) };
}

export const looksLikeApiKey = (value: string): boolean => API_KEY.test(value);
