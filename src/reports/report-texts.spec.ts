import { BANDS } from '../assessments/scoring.js';
import { REGION_CODES } from '../countries/regions.js';
import { DOCUMENT_KINDS } from '../documents/document.constants.js';
import { formatMessage, hasMessage } from '../messages/catalog.js';
import { LOCALES } from '../messages/locales.js';
import {
  CIRT_TYPES,
  HEALTHS,
  PHASES,
  PROGRAMME_STATUSES,
} from '../programmes/programme.constants.js';
import { type LabelledKind, ReportTexts } from './report-texts.js';

/** Every code a report may write, by kind, as the data has them. */
const CODES: Record<LabelledKind, readonly string[]> = {
  phase: PHASES,
  region: REGION_CODES,
  health: HEALTHS,
  band: BANDS,
  cirtType: CIRT_TYPES,
  programmeStatus: PROGRAMME_STATUSES,
  documentKind: DOCUMENT_KINDS,
};

describe('the words of a report', () => {
  it('should have a name for every phase, region, health, band, CIRT type, status and document kind, in words', () => {
    const unnamed: string[] = [];
    for (const [kind, codes] of Object.entries(CODES) as [LabelledKind, string[]][]) {
      for (const code of codes) {
        // catalog.spec.ts holds the other languages to the keys of English.
        if (!hasMessage('reports', `${kind}.${code}`)) unnamed.push(`${kind}.${code}`);
        for (const locale of LOCALES) {
          const label = new ReportTexts(locale).label(kind, code);
          if (label.includes('_')) unnamed.push(`${locale}: ${label}`);
        }
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('should write the names in the language of the report, and a missing value as a dash', () => {
    expect(new ReportTexts('en').health('off_track')).toBe('Off track');
    expect(new ReportTexts('fr').cirtType('sectoral')).toBe('Sectoriel');
    expect(new ReportTexts('ar').phase('planning')).toBe('التخطيط');
    expect(new ReportTexts('zh').programmeStatus('on_hold')).toBe('暂停');
    expect(new ReportTexts('en').band(null)).toBe('-');
  });

  it('should name a document by its title, else its kind as the pages name it, and its day in UTC', () => {
    for (const locale of LOCALES) {
      for (const kind of DOCUMENT_KINDS) {
        expect(new ReportTexts(locale).documentName({ kind, title: null })).toBe(
          formatMessage('pages', locale, `documentKind.${kind}`),
        );
      }
    }
    expect(new ReportTexts('fr').documentName({ kind: 'other', title: 'Annexe B' })).toBe(
      'Annexe B',
    );
    expect(new ReportTexts('en').date('2026-03-01T23:30:00.000Z')).toBe('Mar 1, 2026');
  });

  it('should refuse a code it has no name for rather than print it', () => {
    expect(() => new ReportTexts('en').phase('decommissioning')).toThrow(
      /No message phase.decommissioning/,
    );
  });
});
