import { messageKeys, messageSource } from '../../messages/catalog.js';
import { LOCALES } from '../../messages/locales.js';
import { ReportTexts } from '../report-texts.js';
import { type FaceName, faceOrder, loadFace } from './pdf-fonts.js';
import PDFDocument from 'pdfkit';
import type { Locale } from '../../messages/locales.js';
import { PdfText, visualRuns, withFontSpaces } from './pdf-text.js';

/** Arabic letters in the Arabic face, everything else in the Latin one. */
const faceOf = (codePoint: number): FaceName =>
  codePoint >= 0x600 && codePoint <= 0x6ff ? 'arabic' : 'latin';

describe('the PDF text layout', () => {
  it('should lay a left-to-right line out as it is, one run per face', () => {
    expect(visualRuns('Scope: Kenya, 12 countries', 'ltr', faceOf)).toEqual([
      { text: 'Scope: Kenya, 12 countries', face: 'latin' },
    ]);
  });

  it('should order an Arabic line right to left, its numbers left to right, and give fontkit Arabic in logical order', () => {
    // Drawn left to right: "34", "من", "12", "الصفحة"; fontkit reverses each Arabic run itself.
    expect(visualRuns('الصفحة 12 من 34', 'rtl', faceOf)).toEqual([
      { text: '34', face: 'latin' },
      { text: ' ', face: 'latin' },
      { text: 'من', face: 'arabic' },
      { text: ' ', face: 'latin' },
      { text: '12', face: 'latin' },
      { text: ' ', face: 'latin' },
      { text: 'الصفحة', face: 'arabic' },
    ]);
  });

  it('should keep Latin words left to right inside Arabic, mirror the brackets and reverse the neutral runs fontkit leaves as they are', () => {
    expect(visualRuns('النطاق: أفريقيا (AFR)', 'rtl', faceOf)).toEqual([
      { text: '(', face: 'latin' },
      { text: 'AFR', face: 'latin' },
      { text: ')', face: 'latin' },
      { text: ' ', face: 'latin' },
      { text: 'أفريقيا', face: 'arabic' },
      { text: ' :', face: 'latin' },
      { text: 'النطاق', face: 'arabic' },
    ]);
  });

  it('should put Arabic inside a left-to-right line where the bidirectional algorithm does', () => {
    expect(visualRuns('Egypt (مصر)', 'ltr', faceOf)).toEqual([
      { text: 'Egypt ', face: 'latin' },
      { text: '(', face: 'latin' },
      { text: 'مصر', face: 'arabic' },
      { text: ')', face: 'latin' },
    ]);
  });

  it('should have a face for every character a report writes in each language', () => {
    for (const locale of LOCALES) {
      const texts = new ReportTexts(locale);
      const written = [
        ...messageKeys('reports', locale).map((key) => messageSource('reports', locale, key)),
        texts.number(1234567.25),
        texts.instant('2026-11-27T18:04:00.000Z'),
      ];
      const missing = new Set<string>();
      for (const char of withFontSpaces(written.join(''))) {
        const codePoint = char.codePointAt(0)!;
        for (const weight of ['regular', 'bold'] as const) {
          const faces = faceOrder(locale);
          if (!faces.some((face) => loadFace(face, weight).codePoints.has(codePoint))) {
            missing.add(`U+${codePoint.toString(16)} ${weight}`);
          }
        }
      }
      expect({ locale, missing: [...missing] }).toEqual({ locale, missing: [] });
    }
  });

  describe('a table cell', () => {
    const cell = { size: 8 };
    const texts: [Locale, string][] = [
      [
        'en',
        'Programme national de renforcement des capacités de réponse aux incidents informatiques du Cap-Vert, phase deux',
      ],
      [
        'ar',
        'الفريق الوطني للاستجابة لطوارئ الحاسوب في الجزائر لقطاع الصحة والمستشفيات العامة والخاصة',
      ],
      ['zh', '国家计算机应急响应小组能力建设项目第二阶段与区域和国际伙伴合作完成'],
    ];

    it.each(texts)(
      'should wrap a long %s text to the width of its column in at most three lines, what is left cut with an ellipsis',
      (locale, text) => {
        const pdf = new PdfText(new PDFDocument(), locale);
        const lines = pdf.wrapWithin(text, 80, cell, 3);
        expect(lines).toHaveLength(3);
        expect(lines.map((line) => pdf.width(line, cell) <= 80)).toEqual([true, true, true]);
        expect(lines[2].endsWith('…')).toBe(true);
        expect(lines.slice(0, 2).join(' ')).toContain(
          locale === 'zh' ? '国家计算机' : text.split(' ')[0],
        );
      },
    );

    it('should cut a word wider than its column, and leave a short text whole', () => {
      const pdf = new PdfText(new PDFDocument(), 'en');
      const [word] = pdf.wrapWithin('Supercalifragilisticexpialidociousnationalcirt', 60, cell, 3);
      expect(pdf.width(word, cell)).toBeLessThanOrEqual(60);
      expect(word).toMatch(/^Supercal.*…$/);
      expect(pdf.wrapWithin('On track', 60, cell, 3)).toEqual(['On track']);
    });
  });
});
