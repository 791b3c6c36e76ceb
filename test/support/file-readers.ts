import { execFileSync } from 'node:child_process';

/** RFC 4180 rows of a CSV text (CRLF line ends), quotes undone. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      cell += char;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else {
      cell += char;
    }
  }
  return rows;
}

/** The text of a PDF, as `pdftotext -layout` reads it. */
export const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');

/**
 * pdftotext writes each right-to-left line in logical order but wraps it in the bidi embedding
 * marks U+202A-U+202E (and isolates U+2066-U+2069) so that a terminal shows it right to left:
 * they are dropped here.
 */
export const withoutBidiMarks = (text: string) => text.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
