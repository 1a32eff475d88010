/**
 * A small seeded PRNG for the demo generator: sfc32 (Chris Doty-Humphrey's "small fast chaotic"
 * generator, 128-bit state), seeded by MurmurHash3's mixing of a list of 32-bit keys. Every
 * entity of the demo gets its own generator keyed by (seed, stream, index), so entity number
 * 1,234,567 can be recomputed alone, in any order, without generating the ones before it.
 */

function mixKey(h: number, key: number): number {
  let k = Math.imul(key | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Splits a non-negative safe integer into two 32-bit keys. */
export function seedKeys(seed: number): [number, number] {
  return [seed % 0x1_0000_0000 | 0, Math.floor(seed / 0x1_0000_0000) | 0];
}

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(...keys: number[]) {
    let h = 0x5ada_5eed | 0;
    for (const key of keys) h = mixKey(h, key);
    h = finalMix(h ^ keys.length);
    this.#a = finalMix(h ^ 0x9e3779b9);
    this.#b = finalMix(h ^ 0x243f6a88);
    this.#c = finalMix(h ^ 0xb7e15162);
    this.#d = 1;
    for (let i = 0; i < 10; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** A weighted choice among fixed options, precomputed once. */
export class Weighted<T> {
  readonly #items: readonly T[];
  readonly #cumulative: number[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.#items = entries.map(([item]) => item);
    let total = 0;
    const cumulative = entries.map(([, weight]) => (total += weight));
    this.#cumulative = cumulative.map((c) => c / total);
  }

  pick(rng: Rng): T {
    return this.at(rng.next());
  }

  /** The option at quantile u of [0, 1). */
  at(u: number): T {
    const c = this.#cumulative;
    for (let i = 0; i < c.length; i++) if (u < c[i]!) return this.#items[i]!;
    return this.#items[this.#items.length - 1]!;
  }
}
