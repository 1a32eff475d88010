/**
 * Resident set size sampling. RSS is the whole process: the JS heap, Buffers, and for PGlite
 * the WebAssembly heap of the embedded PostgreSQL (shared buffers, work memory, catalog caches),
 * which lives inside this process. PostgreSQL server memory is in other processes and not counted.
 */

export interface MemoryMarks {
  /** RSS when the phase started. */
  startRss: number;
  /** Highest RSS seen while the phase ran (sampled every few ms, and at every mark). */
  peakRss: number;
  /** Highest JS heap in use seen at the marks (V8 only; excludes Buffers and the WASM heap). */
  peakHeapUsed: number;
  /** RSS when the given fraction of the rows had been processed, e.g. { '0.25': …, '1': … }. */
  rssAt: Record<string, number>;
}

export const MARKS = [0.25, 0.5, 0.75, 1] as const;

export class MemorySampler {
  readonly #timer: NodeJS.Timeout;
  readonly #marks: MemoryMarks;
  readonly #totalRows: number;
  #nextMark = 0;

  constructor(totalRows: number, intervalMs = 20) {
    this.#totalRows = totalRows;
    const rss = process.memoryUsage.rss();
    this.#marks = { startRss: rss, peakRss: rss, peakHeapUsed: process.memoryUsage().heapUsed, rssAt: {} };
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.#marks.peakRss) this.#marks.peakRss = rss;
    return rss;
  }

  /** Call as rows are processed; records RSS as the row count passes each of MARKS. */
  progress(rows: number): void {
    while (this.#nextMark < MARKS.length && rows >= MARKS[this.#nextMark]! * this.#totalRows) {
      const usage = process.memoryUsage();
      if (usage.rss > this.#marks.peakRss) this.#marks.peakRss = usage.rss;
      if (usage.heapUsed > this.#marks.peakHeapUsed) this.#marks.peakHeapUsed = usage.heapUsed;
      this.#marks.rssAt[String(MARKS[this.#nextMark])] = usage.rss;
      this.#nextMark++;
    }
  }

  stop(): MemoryMarks {
    clearInterval(this.#timer);
    this.sample();
    return this.#marks;
  }
}

/** Collects garbage between phases when node runs with --expose-gc, so phases start alike. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
