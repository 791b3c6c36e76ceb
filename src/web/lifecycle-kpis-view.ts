import type { Locale } from '../messages/locales.js';
import { OVERDUE_AGES, type PortfolioKpis } from '../portfolio/dto/portfolio-kpis.dto.js';
import { PHASES_BEFORE_OPERATION } from '../programmes/programme.constants.js';
import { renderBarChart } from './bar-chart.js';
import type { Translate } from './i18n.js';

/** The quarters the page charts: the last two years; the reports hold every quarter. */
const QUARTERS_SHOWN = 8;

/** Each age of overdue milestones, by its page text. */
const AGE_LABELS: Record<(typeof OVERDUE_AGES)[number], string> = {
  '1-30': 'lifecycle.age.upTo30',
  '31-90': 'lifecycle.age.upTo90',
  '91+': 'lifecycle.age.over90',
};

/**
 * The portfolio page's lifecycle KPIs: three server-drawn charts, each a table of its figures
 * (what assistive technology reads), and the regional medians as a table.
 */
export function lifecycleKpisView(kpis: PortfolioKpis, t: Translate, locale: Locale) {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return {
    kpis,
    measuredPhases: PHASES_BEFORE_OPERATION,
    onTimeRate: kpis.milestoneOnTimeRate === null ? null : percent.format(kpis.milestoneOnTimeRate),
    phaseChart: renderBarChart({
      title: t('lifecycle.phaseMedians'),
      heading: { level: 3, id: 'phase-medians-title' },
      bars: PHASES_BEFORE_OPERATION.map((phase) => ({
        label: t('lifecycle.phaseCounted', {
          phase: t(`phase.${phase}`),
          count: kpis.counted.phases[phase] ?? 0,
        }),
        value: kpis.phaseMedianDays[phase] ?? 0,
        colour: `phase-${phase}`,
      })),
      locale,
    }),
    quarterChart: renderBarChart({
      title: t('lifecycle.quarters'),
      heading: { level: 3, id: 'quarters-title' },
      bars: kpis.transitionsByQuarter.slice(-QUARTERS_SHOWN).map((row) => ({
        label: row.backward
          ? t('lifecycle.quarterWithBackward', { quarter: row.quarter, count: row.backward })
          : row.quarter,
        value: row.forward,
      })),
      locale,
    }),
    overdueChart: renderBarChart({
      title: t('lifecycle.overdueByAge'),
      heading: { level: 3, id: 'overdue-age-title' },
      bars: OVERDUE_AGES.map((age) => ({
        label: t(AGE_LABELS[age]),
        value: kpis.overdueMilestonesByAge[age],
      })),
      locale,
    }),
  };
}
