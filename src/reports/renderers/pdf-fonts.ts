import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import type { Locale } from '../../messages/locales.js';

/**
 * The fonts of the PDF reports, embedded from npm packages (never fetched, never the system's):
 * Noto Sans for Latin and Cyrillic, Amiri for Arabic and Noto Sans SC for Chinese, each in the
 * two weights the PDF uses. The Arabic font is chosen so that text copied or extracted from the
 * PDF comes out letter for letter: every glyph drawn stands for one letter. Noto Sans Arabic
 * draws letters as a dotless skeleton plus separate dots (one skeleton glyph for ت ب ث ن ي), and
 * IBM Plex Sans Arabic joins pairs such as لا and بر into one glyph, which PDF readers such as
 * pdftotext spell backwards in right-to-left text; Amiri does neither.
 */
export type FaceName = 'latin' | 'latinExt' | 'cyrillic' | 'cyrillicExt' | 'arabic' | 'chinese';
export type Weight = 'regular' | 'bold';

const WEIGHTS: Record<Weight, number> = { regular: 400, bold: 700 };

/** fontsource's subset files: `<package>/files/<file>-<weight>-normal.woff`. */
const FILES: Record<FaceName, [pkg: string, file: string]> = {
  latin: ['@fontsource/noto-sans', 'noto-sans-latin'],
  latinExt: ['@fontsource/noto-sans', 'noto-sans-latin-ext'],
  cyrillic: ['@fontsource/noto-sans', 'noto-sans-cyrillic'],
  cyrillicExt: ['@fontsource/noto-sans', 'noto-sans-cyrillic-ext'],
  arabic: ['@fontsource/amiri', 'amiri-arabic'],
  chinese: ['@fontsource/noto-sans-sc', 'noto-sans-sc-chinese-simplified'],
};

const LATIN_AND_CYRILLIC: FaceName[] = ['latin', 'latinExt', 'cyrillic', 'cyrillicExt'];

/**
 * The faces a character is looked for in, first to last: the language's own script first, so
 * that, say, the digits and punctuation of a Chinese text come from the Chinese font.
 */
export function faceOrder(locale: Locale): FaceName[] {
  if (locale === 'zh') return ['chinese', ...LATIN_AND_CYRILLIC, 'arabic'];
  if (locale === 'ar') return ['arabic', ...LATIN_AND_CYRILLIC, 'chinese'];
  return [...LATIN_AND_CYRILLIC, 'arabic', 'chinese'];
}

export interface LoadedFace {
  /** The font as TrueType, which pdfkit parses for each document without decompressing. */
  sfnt: Buffer;
  codePoints: ReadonlySet<number>;
}

const require = createRequire(import.meta.url);
const loaded = new Map<string, LoadedFace>();

/** A face in a weight, read from its package once per process. */
export function loadFace(face: FaceName, weight: Weight): LoadedFace {
  const id = `${face}-${weight}`;
  let font = loaded.get(id);
  if (!font) {
    const [pkg, file] = FILES[face];
    const woff = readFileSync(
      require.resolve(`${pkg}/files/${file}-${WEIGHTS[weight]}-normal.woff`),
    );
    const sfnt = woffToSfnt(woff);
    const parsed = fontkit.create(sfnt);
    if (!('characterSet' in parsed)) throw new Error(`${id} is a font collection`);
    font = { sfnt, codePoints: new Set(parsed.characterSet) };
    loaded.set(id, font);
  }
  return font;
}

/**
 * The TrueType font inside a WOFF 1.0 file (its tables, zlib-compressed one by one). pdfkit
 * reads WOFF itself, but inflates it in JavaScript for every document, seconds for the Chinese
 * font; its fontkit fails to subset composite glyphs read from WOFF2.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('Not a WOFF font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const stored = woff.subarray(offset, offset + compLength);
    return {
      tag: woff.subarray(entry, entry + 4),
      checksum: woff.readUInt32BE(entry + 16),
      data: compLength < origLength ? inflateSync(stored) : stored,
    };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  // WOFF keeps the table directory sorted by tag, as the sfnt directory must be.
  tables.forEach((table, i) => {
    const record = 12 + i * 16;
    table.tag.copy(header, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    const padding = (4 - (table.data.length % 4)) % 4;
    parts.push(table.data, Buffer.alloc(padding));
    offset += table.data.length + padding;
  });
  return Buffer.concat(parts);
}
