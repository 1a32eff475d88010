/**
 * Counts requests per key in a sliding window (the current fixed window plus the previous one,
 * weighted by how much of it still overlaps), in memory. Enough for one server process; behind
 * several processes each enforces its own share (docs/surveys.md says so).
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number; previous: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 200_000,
  ) {}

  /** Counts one request under `key`; whether it is within `limit` per window, and if not, when to retry. */
  hit(key: string, limit: number, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const start = now - (now % this.windowMs);
    let entry = this.#windows.get(key);
    if (!entry || entry.start !== start) {
      const previous = entry && entry.start === start - this.windowMs ? entry.count : 0;
      if (!entry && this.#windows.size >= this.maxKeys) this.#forgetOld(start);
      entry = { start, count: 0, previous };
      this.#windows.set(key, entry);
    }
    const overlap = 1 - (now - start) / this.windowMs;
    const estimate = entry.count + entry.previous * overlap;
    if (estimate + 1 > limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)) };
    }
    entry.count += 1;
    return { allowed: true };
  }

  #forgetOld(currentStart: number): void {
    for (const [key, entry] of this.#windows) {
      if (entry.start < currentStart - this.windowMs) this.#windows.delete(key);
    }
    // Under a flood of distinct keys, forgetting the oldest half is better than growing without end.
    if (this.#windows.size >= this.maxKeys) {
      let drop = this.#windows.size / 2;
      for (const key of this.#windows.keys()) {
        if (drop-- <= 0) break;
        this.#windows.delete(key);
      }
    }
  }
}
