import type { Trend } from '../assessments/assessment-trend.service.js';
import { templateTexts } from '../assessments/template-texts.js';
import type { AssessmentTemplate } from '../assessments/template.types.js';
import type { Locale, Text } from '../messages/locales.js';
import { renderBarChart } from './bar-chart.js';
import type { Translate } from './i18n.js';

export interface TrendView {
  kind: Trend['kind'];
  /** The overall score at each validated assessment, as a bar chart (a table with bars). */
  chart: string;
  /** Said when older versions were scored as the newest one, through its mapping. */
  carriedForwardTo: string | null;
  /** Each area's score at each validated assessment, in the newest version's areas. */
  areas: { columns: string[]; rows: { title: Text; scores: (number | null)[] }[] };
}

/**
 * A programme's validated assessments of one kind over time, across template versions: answers
 * given on an older version were carried forward to the newest (AssessmentTrendService), so every
 * point speaks of the same areas. Dates are the country's days of validation.
 */
export function trendView(
  trend: Trend,
  template: (key: string, version: string) => AssessmentTemplate,
  lang: Locale,
  timeZone: string,
  t: Translate,
): TrendView | null {
  if (trend.points.length === 0 || !trend.templateKey || !trend.templateVersion) return null;
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone });
  const labels = trend.points.map((point) =>
    t('trend.point', {
      version: point.templateVersion,
      date: day.format(new Date(point.validatedAt)),
    }),
  );
  const texts = templateTexts(template(trend.templateKey, trend.templateVersion), lang);
  return {
    kind: trend.kind,
    chart: renderBarChart({
      title: t(`trend.title.${trend.kind}`),
      // A point whose every indicator does not apply has no score, and no bar.
      bars: trend.points.flatMap((point, index) =>
        point.overall === null ? [] : [{ label: labels[index], value: point.overall }],
      ),
      locale: lang,
      max: 100,
    }),
    carriedForwardTo: trend.points.some((point) => point.templateVersion !== trend.templateVersion)
      ? trend.templateVersion
      : null,
    areas: {
      columns: labels,
      rows: texts.areas.map((area) => ({
        title: area.title,
        scores: trend.points.map(
          (point) => point.areas.find((candidate) => candidate.key === area.key)?.score ?? null,
        ),
      })),
    },
  };
}
