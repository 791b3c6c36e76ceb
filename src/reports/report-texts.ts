import { type MessageValues, formatMessage } from '../messages/catalog.js';
import type { Locale } from '../messages/locales.js';
import en from '../messages/reports/en.json' with { type: 'json' };
import type { ReportDocument, ReportScope } from './report-data.query.js';
import type { KpiName } from './report-kpis.js';
import { MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL } from './report-scope.js';

/** Keys typed against en.json, so that a missing entry fails to compile. */
export type ReportMessageKey = keyof typeof en;

/** The kinds of codes a report writes as words: each code has a `<kind>.<code>` label. */
export type LabelledKind =
  'phase' | 'region' | 'health' | 'band' | 'cirtType' | 'programmeStatus' | 'documentKind';

/** The `names` of countries (one per language), by country code. */
export type CountryNames = ReadonlyMap<string, Readonly<Partial<Record<Locale, string>>>>;

/** The name of each age bucket of overdue milestones. */
const OVERDUE_AGE_KEYS: Record<string, ReportMessageKey> = {
  '1-30': 'kpi.overdueUpTo30',
  '31-90': 'kpi.overdueUpTo90',
  '91+': 'kpi.overdueOver90',
};

/** A scope of countries names this many of them, and counts the others. */
const NAMED_COUNTRIES = 10;

/** Between the names of a list that a count of the others ends. */
const SEPARATORS: Record<Locale, string> = {
  en: ', ',
  fr: ', ',
  es: ', ',
  ar: '، ',
  ru: ', ',
  zh: '、',
};

/**
 * What a report says, in its language: the `reports` catalog (the names of phases, regions,
 * health, bands, CIRT types, programme statuses and document kinds included), countries by their
 * names in that language, and numbers, days and the as-of time through Intl. The JSON snapshot
 * stays in codes; the files and the e-mails are written through this.
 */
export class ReportTexts {
  private readonly numbers: Intl.NumberFormat;
  private readonly percents: Intl.NumberFormat;
  private readonly instants: Intl.DateTimeFormat;
  private readonly dates: Intl.DateTimeFormat;
  private readonly lists: Intl.ListFormat;

  constructor(
    readonly locale: Locale,
    private readonly countryNames: CountryNames = new Map(),
  ) {
    this.numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    this.percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    // The as-of instant in UTC, the zone named: a report's countries span many zones.
    this.instants = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
    this.dates = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    this.lists = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  }

  t(key: ReportMessageKey, values: MessageValues = {}): string {
    return formatMessage('reports', this.locale, key, values);
  }

  phase(code: string | null): string {
    return this.label('phase', code);
  }

  region(code: string | null): string {
    return this.label('region', code);
  }

  health(code: string | null): string {
    return this.label('health', code);
  }

  band(code: string | null): string {
    return this.label('band', code);
  }

  cirtType(code: string | null): string {
    return this.label('cirtType', code);
  }

  programmeStatus(code: string | null): string {
    return this.label('programmeStatus', code);
  }

  documentKind(code: string | null): string {
    return this.label('documentKind', code);
  }

  /** A document as the files name it: its title, else its kind's name (the kind's own document). */
  documentName(document: Pick<ReportDocument, 'kind' | 'title'>): string {
    return document.title ?? this.documentKind(document.kind);
  }

  /**
   * A code in words; a missing one as a dash. A code without a label throws, as an unknown key
   * does: report-texts.spec.ts holds every code of each kind to having one in every language.
   */
  label(kind: LabelledKind, code: string | null): string {
    if (code === null) return '-';
    return this.t(`${kind}.${code}` as ReportMessageKey);
  }

  /** A country's name in the report's language, else in English, else as the data has it. */
  country(code: string, fallback: string = code): string {
    const names = this.countryNames.get(code);
    return names?.[this.locale] ?? names?.en ?? fallback;
  }

  /** A number as the language writes it; a missing one as a dash. */
  number(value: number | null | undefined): string {
    return value === null || value === undefined ? '-' : this.numbers.format(value);
  }

  /** A share from 0 to 1 as a percentage of the language; a missing one as a dash. */
  percent(value: number | null): string {
    return value === null ? '-' : this.percents.format(value);
  }

  /** A quarter (`2026-Q3`) as the language writes it. */
  quarter(code: string): string {
    return this.t('kpi.quarter', { year: code.slice(0, 4), quarter: code.slice(6) });
  }

  /** A lifecycle KPI's name, with the phase, age of lateness or quarter it is of. */
  kpi(kpi: KpiName, key: string | null): string {
    switch (kpi) {
      case 'programmesInPhase':
      case 'medianDaysInPhase':
        return this.t(`kpi.${kpi}`, { phase: this.phase(key) });
      case 'overdueMilestones':
        return this.t(OVERDUE_AGE_KEYS[key ?? '']);
      case 'transitionsForward':
      case 'transitionsBackward':
        return this.t(`kpi.${kpi}`, { quarter: this.quarter(key ?? '') });
      default:
        return this.t(`kpi.${kpi}`);
    }
  }

  /** An instant (ISO 8601) as the language writes it, with its time zone. */
  instant(iso: string): string {
    return this.instants.format(new Date(iso));
  }

  /** The day of an instant (ISO 8601) in UTC, as the language writes it. */
  date(iso: string): string {
    return this.dates.format(new Date(iso));
  }

  /** Words joined as a list of the language ("Kenya, Ghana and France"). */
  list(items: string[]): string {
    return this.lists.format(items);
  }

  /** What a report covers: the whole portfolio, a region, or countries by name. */
  scope(scope: ReportScope): string {
    if (scope.regionCode) {
      return this.t('scope.region', {
        code: scope.regionCode,
        region: this.region(scope.regionCode),
      });
    }
    if (scope.countryCodes) {
      const names = scope.countryCodes.map((code) => this.country(code));
      if (names.length <= NAMED_COUNTRIES)
        return this.t('scope.countries', { names: this.list(names) });
      return this.t('scope.countriesAndMore', {
        names: names.slice(0, NAMED_COUNTRIES).join(SEPARATORS[this.locale]),
        more: names.length - NAMED_COUNTRIES,
      });
    }
    return this.t('scope.all');
  }

  /** What the files say in place of indicator-level figures that are withheld. */
  withheldNote(): string {
    return this.t('withheldNote', { min: MIN_ASSESSMENTS_FOR_INDICATOR_DETAIL });
  }
}
