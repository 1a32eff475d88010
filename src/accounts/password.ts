import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id } from 'hash-wasm';

/**
 * Password hashing: argon2id (hash-wasm, WebAssembly) with OWASP's parameters — 19 MiB of
 * memory, 2 passes, 1 lane — stored as the standard PHC string
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. A stored hash keeps its own parameters, so
 * raising them later still verifies old hashes (`needsRehash` says which to upgrade).
 *
 * hash-wasm's own argon2Verify compares with ===; verification here recomputes the raw hash
 * and compares it with timingSafeEqual. One hash takes about 0.1 s of CPU and runs on the event
 * loop (WebAssembly is synchronous), which the login rate limits keep rare.
 */

export interface Argon2Parameters {
  /** Memory in KiB. */
  memorySize: number;
  iterations: number;
  parallelism: number;
}

export const PASSWORD_PARAMETERS: Argon2Parameters = { memorySize: 19_456, iterations: 2, parallelism: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** Why a new password is refused, or undefined when it will do. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  return undefined;
}

export async function hashPassword(password: string, parameters: Argon2Parameters = PASSWORD_PARAMETERS): Promise<string> {
  return argon2id({ password: password.normalize('NFC'), salt: randomBytes(SALT_BYTES), ...parameters, hashLength: HASH_BYTES, outputType: 'encoded' });
}

interface ParsedHash extends Argon2Parameters {
  salt: Buffer;
  hash: Buffer;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{16,})$/;

function parse(encoded: string): ParsedHash | undefined {
  const match = PHC.exec(encoded);
  if (!match) return undefined;
  const [, m, t, p, salt, hash] = match;
  const parsed = { memorySize: Number(m), iterations: Number(t), parallelism: Number(p), salt: Buffer.from(salt!, 'base64'), hash: Buffer.from(hash!, 'base64') };
  // Refuse parameters no hash of ours has (a tampered row must not make us allocate gigabytes).
  if (parsed.memorySize < 8 * parsed.parallelism || parsed.memorySize > 1_048_576 || parsed.iterations < 1 || parsed.parallelism < 1 || parsed.hash.length < 16) return undefined;
  return parsed;
}

/**
 * Argon2 work spent on verifications in this process (KiB of memory × passes). Sign-in must cost
 * the same for an unknown e-mail as for a wrong password; test/accounts.test.ts checks it with
 * this count, which machine load cannot disturb as it would a timing.
 */
export const verificationWork = { kibPasses: 0 };

/** Whether `password` matches the PHC string `encoded`; false for anything that is not one. Constant time in the comparison. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  verificationWork.kibPasses += parsed.memorySize * parsed.iterations;
  // hash-wasm refuses an empty password; an empty one is never right, but takes the same time.
  const computed = await argon2id({
    password: password === '' ? '\u0000' : password.normalize('NFC'),
    salt: parsed.salt,
    memorySize: parsed.memorySize,
    iterations: parsed.iterations,
    parallelism: parsed.parallelism,
    hashLength: parsed.hash.length,
    outputType: 'binary',
  });
  return timingSafeEqual(Buffer.from(computed), parsed.hash) && password !== '';
}

/** A stored hash made with weaker parameters than today's (rehash it at the next sign-in). */
export function needsRehash(encoded: string, parameters: Argon2Parameters = PASSWORD_PARAMETERS): boolean {
  const parsed = parse(encoded);
  return !parsed || parsed.memorySize < parameters.memorySize || parsed.iterations < parameters.iterations || parsed.parallelism < parameters.parallelism;
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification on nothing: for an unknown e-mail, so that "no such
 * user" takes as long as "wrong password" and the answer time tells nothing.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(18).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}
