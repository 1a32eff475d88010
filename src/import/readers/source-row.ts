/** What every file reader yields: rows of cells, or a problem that makes a row unreadable. */

export interface SourceRow {
  kind: 'row';
  /** 1-based line where the row starts (text files) or element number (JSON arrays). */
  line: number;
  /** Column name (or JSON key) → raw value. */
  cells: Record<string, unknown>;
}

export interface SourceProblem {
  kind: 'problem';
  line: number;
  reason: string;
  /** The raw text of the row, when the reader has it, so the rejects file shows what was wrong. */
  raw?: string;
}

export type SourceItem = SourceRow | SourceProblem;

export interface SourceFile {
  /** Column names of a tabular file; undefined for JSON, whose rows are objects. */
  header: string[] | undefined;
  /** What positions in `line` mean: a text line or an element of a JSON array. */
  unit: 'line' | 'element';
  items: AsyncIterable<SourceItem>;
  /** Problems with the file as a whole, reported once in the summary. */
  warnings: string[];
}

export interface ReaderOptions {
  delimiter?: string;
  /** Allow rows with more or fewer fields than the header, matched by position. */
  allowRaggedRows: boolean;
  /** CSV/TSV: keep a quote inside an unquoted field (or after a closing quote) as text. */
  relaxQuotes?: boolean;
  /** JSON: the dotted path of the records inside the document (e.g. `tickets`); default: the document is an array of them. */
  jsonPath?: string;
}

/**
 * Pairs header names with a row's fields. Rows whose length differs from the header are
 * problems unless ragged rows are allowed (then missing trailing cells are empty).
 */
export function toCells(header: string[], fields: string[], line: number, options: ReaderOptions, ragged?: RaggedRowCounter): SourceItem {
  if (fields.length === 0 || (fields.length === 1 && fields[0]!.trim() === '') || fields.every((f) => f.trim() === '')) {
    return { kind: 'problem', line, reason: 'empty row', raw: fields.join(',') };
  }
  if (fields.length !== header.length && !options.allowRaggedRows) {
    return {
      kind: 'problem',
      line,
      reason: `row has ${fields.length} fields but the header has ${header.length}, so its cells cannot be matched to columns (a line break inside a field, or a missing quote?)`,
      raw: fields.join(','),
    };
  }
  if (fields.length !== header.length) ragged?.count(fields.length);
  const cells: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) cells[header[i]!] = fields[i];
  return { kind: 'row', line, cells };
}

/** Counts rows matched by position despite a different field count, for one warning per file. */
export class RaggedRowCounter {
  readonly #byLength = new Map<number, number>();

  count(length: number): void {
    this.#byLength.set(length, (this.#byLength.get(length) ?? 0) + 1);
  }

  /** Adds the warning to `warnings` if any row was ragged. */
  report(headerLength: number, warnings: string[]): void {
    for (const [length, rows] of this.#byLength) {
      warnings.push(
        `${rows} row(s) have ${length} fields but the header has ${headerLength}; they were matched to columns by position (raggedRows: allow)`,
      );
    }
  }
}
