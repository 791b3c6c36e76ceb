/**
 * A CSV cell (RFC 4180): quoted when a reader would split it, and a text a spreadsheet would run
 * as a formula (starting with = + - @, a tab or a carriage return) defused with a quote. Numbers
 * stay as they are, negative ones included.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
