/**
 * CSV for spreadsheets. A cell that starts with = + - @, a tab or a carriage return is run as
 * a formula by Excel and LibreOffice, and customer comments are hostile input: such cells get a
 * leading apostrophe (OWASP's advice). Numbers are written as numbers, so negative scores stay
 * numeric.
 */
export function toCsv(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cell = (value: string | number | null | undefined) => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Hands a text or data URL to the browser as a download. */
export function download(name: string, content: string, type = 'text/csv;charset=utf-8'): void {
  const url = content.startsWith('data:') ? content : URL.createObjectURL(new Blob(['\ufeff', content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  if (!content.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 1000);
}
