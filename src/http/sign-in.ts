import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from '../accounts/password.ts';
import { createSession, findUserByEmail, membershipsOf, setPasswordHash, type Membership, type User } from '../storage/accounts.ts';
import { setSessionCookie, type AuthOptions } from './auth.ts';
import type { PublicGuard } from './public-guard.ts';
import { RateLimiter } from './rate-limit.ts';

/**
 * Signing in, for both the JSON endpoint (POST /api/v1/session) and the page (/login).
 *
 * - Rate limited per client address (a keyed hash of it, like the public endpoints) and per
 *   e-mail address, counting every attempt: guessing is slow from one address, and a spread of
 *   addresses still gets few guesses at one account.
 * - An unknown e-mail and a wrong password get the same answer, after the same work: an unknown
 *   address is checked against a dummy hash.
 */

export interface LoginLimits {
  /** Attempts one client address may make per window. */
  perAddress: number;
  /** Attempts at one e-mail address per window, from everywhere. */
  perEmail: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAddress: 30, perEmail: 10, windowMs: 15 * 60_000 };

export type SignInOutcome =
  | { ok: true; user: User; memberships: Membership[] }
  | { ok: false; reason: 'failed'; message: string }
  | { ok: false; reason: 'rate_limited'; message: string; retryAfterSeconds: number };

export const SIGN_IN_FAILED = 'The e-mail address or the password is wrong.';

export class SignIn {
  readonly #perAddress: RateLimiter;
  readonly #perEmail: RateLimiter;
  /** Keys the hashes of addresses and e-mails in the limiter's memory; new every start. */
  readonly #key = randomBytes(32);

  constructor(
    private readonly auth: AuthOptions,
    private readonly guard: PublicGuard,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {
    this.#perAddress = new RateLimiter(limits.windowMs);
    this.#perEmail = new RateLimiter(limits.windowMs);
  }

  #hash(text: string): string {
    return createHmac('sha256', this.#key).update(text).digest('base64url').slice(0, 22);
  }

  /** Checks the password and, when right, opens a session and sets its cookie on `c`. */
  async attempt(c: Context, email: string, password: string): Promise<SignInOutcome> {
    const address = this.#perAddress.hit(`a:${this.#hash(this.guard.clientAddress(c))}`, this.limits.perAddress);
    const perEmail = this.#perEmail.hit(`e:${this.#hash(email.trim().toLowerCase())}`, this.limits.perEmail);
    if (!address.allowed || !perEmail.allowed) {
      const retryAfterSeconds = Math.max(address.allowed ? 0 : address.retryAfterSeconds, perEmail.allowed ? 0 : perEmail.retryAfterSeconds);
      return { ok: false, reason: 'rate_limited', retryAfterSeconds, message: `Too many sign-in attempts: try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.` };
    }
    const user = email.length <= 320 && password.length <= 1024 ? await findUserByEmail(this.auth.db, email) : undefined;
    const right = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
    if (!user || !right) return { ok: false, reason: 'failed', message: SIGN_IN_FAILED };
    if (needsRehash(user.passwordHash!)) await setPasswordHash(this.auth.db, user.id, await hashPassword(password));
    const session = await createSession(this.auth.db, user.id);
    setSessionCookie(c, session.token, this.auth);
    const { passwordHash: _, ...plain } = user;
    return { ok: true, user: plain, memberships: await membershipsOf(this.auth.db, user.id) };
  }
}
