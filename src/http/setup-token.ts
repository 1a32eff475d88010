import { timingSafeEqual } from 'node:crypto';
import { randomToken, sha256Hex } from '../accounts/tokens.ts';

/**
 * The one-time link that creates the first admin of a fresh install. `sada serve` issues it
 * when the database has no user at all and prints `/setup?token=…` once; only the token's hash
 * is kept, in memory. It works once: a successful setup consumes it, and once any user exists
 * the setup page refuses whatever the token (a restart with users issues none).
 */
export class SetupToken {
  #hash: Buffer | undefined;

  /** A new token (the previous one stops working). */
  issue(): string {
    const token = randomToken(32);
    this.#hash = Buffer.from(sha256Hex(token), 'hex');
    return token;
  }

  get active(): boolean {
    return this.#hash !== undefined;
  }

  matches(token: string | undefined): boolean {
    if (!this.#hash || !token || token.length > 100) return false;
    return timingSafeEqual(Buffer.from(sha256Hex(token), 'hex'), this.#hash);
  }

  consume(): void {
    this.#hash = undefined;
  }
}
