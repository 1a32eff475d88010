/**
 * Remembers, in this process, which (key, time window) pairs were already queued, so a burst of
 * answers queues a debounced job with one statement instead of one per answer. The database's
 * dedupe key stays the guarantee (several processes, restarts); this only saves the repeats.
 */
export class OncePerWindow {
  /** Per database (a test process may hold several, with the same workspace ids). */
  readonly #done = new WeakMap<object, Map<string, number>>();

  constructor(private readonly windowMs: number) {}

  /** Whether `key` is new for `db` in the window that holds `now` (and remembers it). */
  first(db: object, key: string, now = Date.now()): boolean {
    const window = Math.floor(now / this.windowMs);
    let done = this.#done.get(db);
    if (!done) this.#done.set(db, (done = new Map()));
    if (done.get(key) === window) return false;
    if (done.size > 10_000) done.clear();
    done.set(key, window);
    return true;
  }
}
