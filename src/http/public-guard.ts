import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Database } from '../storage/database.ts';
import { workspaceSecret } from '../storage/surveys.ts';
import type { Workspace } from '../storage/workspaces.ts';
import { RateLimiter } from './rate-limit.ts';

/**
 * What stands between the public survey endpoints and ballot stuffing: limits per client and
 * per survey, both keyed by workspace so that one tenant's traffic never uses up another's, and
 * clients known only by a keyed hash of their address (the address itself is never stored).
 */

export interface PublicLimits {
  /** Answers (new or more) one client address may send to one workspace per minute. */
  perClientPerMinute: number;
  /** Answers one survey takes per minute from everyone together (stuffing from many addresses). */
  perSurveyPerMinute: number;
}

export const DEFAULT_PUBLIC_LIMITS: PublicLimits = { perClientPerMinute: 30, perSurveyPerMinute: 3000 };

/** workspaces.settings.listening.rateLimits, each value a whole number ≥ 1, else the default. */
export function publicLimits(workspace: Workspace): PublicLimits {
  const custom = (workspace.settings as { listening?: { rateLimits?: Partial<Record<keyof PublicLimits, unknown>> } }).listening?.rateLimits ?? {};
  const pick = (name: keyof PublicLimits) => {
    const value = custom[name];
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : DEFAULT_PUBLIC_LIMITS[name];
  };
  return { perClientPerMinute: pick('perClientPerMinute'), perSurveyPerMinute: pick('perSurveyPerMinute') };
}

export type GuardVerdict = { allowed: true; clientHash: string } | { allowed: false; retryAfterSeconds: number; message: string };

export class PublicGuard {
  readonly #perClient = new RateLimiter(60_000);
  /** Kept apart so a flood of client addresses never evicts a survey's count. */
  readonly #perSurvey = new RateLimiter(60_000, Number.POSITIVE_INFINITY);
  readonly #keys = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly db: Database,
    /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
    private readonly trustProxy: boolean,
  ) {}

  /**
   * The client's address: behind a trusted proxy the last X-Forwarded-For entry (the one the
   * proxy appended; the ones before it are whatever the client sent), else the socket's. IPv6
   * clients count per /64, the block one customer's line usually gets.
   */
  clientAddress(c: Context): string {
    let address: string | undefined;
    if (this.trustProxy) {
      const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
      if (last && isIP(last)) address = last;
    }
    if (!address) {
      try {
        address = getConnInfo(c).remote.address;
      } catch {
        // app.request() in tests has no socket
      }
    }
    if (!address) return 'unknown';
    const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
    return isIP(v4) === 6 ? ipv6Block64(v4) : v4;
  }

  async admit(c: Context, workspace: Workspace, surveyId: string): Promise<GuardVerdict> {
    const clientHash = await this.#hash(workspace.id, this.clientAddress(c));
    const limits = publicLimits(workspace);
    const perClient = this.#perClient.hit(`c:${workspace.id}:${clientHash}`, limits.perClientPerMinute);
    if (!perClient.allowed) return { allowed: false, retryAfterSeconds: perClient.retryAfterSeconds, message: 'Too many answers from this address: wait a minute and try again.' };
    const perSurvey = this.#perSurvey.hit(`s:${workspace.id}:${surveyId}`, limits.perSurveyPerMinute);
    if (!perSurvey.allowed) return { allowed: false, retryAfterSeconds: perSurvey.retryAfterSeconds, message: 'This survey is receiving too many answers right now: try again in a minute.' };
    return { allowed: true, clientHash };
  }

  async #hash(workspaceId: number, address: string): Promise<string> {
    let key = this.#keys.get(workspaceId);
    if (!key) {
      key = workspaceSecret(this.db, workspaceId, 'clients');
      this.#keys.set(workspaceId, key);
      key.catch(() => this.#keys.delete(workspaceId));
    }
    return createHmac('sha256', await key).update(address).digest('base64url').slice(0, 22);
  }
}

/** The /64 block of an IPv6 address, written the same way however the address was abbreviated. */
export function ipv6Block64(address: string): string {
  const plain = address.split('%')[0]!;
  const [head = '', tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
