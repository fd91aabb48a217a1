/**
 * CSV as RFC 4180 writes it (fields separated by commas, records ended by CRLF, a field quoted
 * when it holds a comma, a quote, CR or LF, quotes inside doubled), made safe to open in a
 * spreadsheet: a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 * read as a formula (CSV injection, OWASP), so it is prefixed with `'`, which spreadsheets show as
 * text. Numbers are written as they are. Pure.
 */

/** The characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: neutralised against formulas, then quoted when RFC 4180 requires it. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF. */
export function csvRecord(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
