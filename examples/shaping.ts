import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * What every `examples/<dataset>/shape.ts` exports: a function that reads the raw files of one
 * dataset as a stream and writes, into a work directory, the files its mappings import. Shaping
 * only restructures (links tweets into conversations, joins a date to a time of day); every
 * decision is in the script, and nothing is fixed by hand. A source line the script cannot read
 * is never dropped silently: it comes back as a problem with its line and reason, and the
 * example report shows it next to the importer's rejects.
 */

export interface ShapeOptions {
  /** The dataset's folder (read only). */
  datasetDir: string;
  /** Where to write the shaped files; created by the caller, reused (overwritten) on re-runs. */
  workDir: string;
  log?: (line: string) => void;
}

/** A source line the shaping could not use. */
export interface ShapeProblem {
  /** Raw file name, relative to the dataset folder. */
  file: string;
  line: number;
  reason: string;
}

export interface ShapeResult {
  /** Files written into the work directory (names relative to it). */
  files: string[];
  /** Facts about the data a person should know (quirks found, choices applied), one per line. */
  notes: string[];
  problems: ShapeProblem[];
}

export type ShapeFunction = (options: ShapeOptions) => Promise<ShapeResult>;

/** One CSV cell (RFC 4180 quoting when needed). */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A line-oriented writer that respects back-pressure, so shaping big files keeps memory flat. */
export class LineWriter {
  readonly #stream: WriteStream;

  constructor(path: string) {
    this.#stream = createWriteStream(path, { encoding: 'utf8' });
  }

  async write(line: string): Promise<void> {
    if (!this.#stream.write(`${line}\n`)) await once(this.#stream, 'drain');
  }

  async csvRow(cells: ReadonlyArray<string | number | null | undefined>): Promise<void> {
    await this.write(cells.map(csvCell).join(','));
  }

  async json(value: unknown): Promise<void> {
    await this.write(JSON.stringify(value));
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.end(resolve);
    });
  }
}
