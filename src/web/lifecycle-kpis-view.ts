import type { Locale } from '../messages/locales.js';
import type { PortfolioKpis } from '../portfolio/dto/portfolio-kpis.dto.js';
import { PHASES } from '../programmes/programme.constants.js';
import { renderBarChart } from './bar-chart.js';
import type { Translate } from './i18n.js';

/** The quarters the page charts: the last two years; the reports hold every quarter. */
const QUARTERS_SHOWN = 8;

/** The phases a programme passes through before it is established, whose durations are medians. */
const MEASURED_PHASES = PHASES.slice(0, PHASES.indexOf('operation'));

const AGES = [
  ['1-30', 'lifecycle.age.upTo30'],
  ['31-90', 'lifecycle.age.upTo90'],
  ['91+', 'lifecycle.age.over90'],
] as const;

/**
 * The portfolio page's lifecycle KPIs: three server-drawn charts, each a table of its figures
 * (what assistive technology reads), and the regional medians as a table.
 */
export function lifecycleKpisView(kpis: PortfolioKpis, t: Translate, locale: Locale) {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return {
    kpis,
    measuredPhases: MEASURED_PHASES,
    onTimeRate: kpis.milestoneOnTimeRate === null ? null : percent.format(kpis.milestoneOnTimeRate),
    phaseChart: renderBarChart({
      title: t('lifecycle.phaseMedians'),
      heading: { level: 3, id: 'phase-medians-title' },
      bars: MEASURED_PHASES.map((phase) => ({
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
      bars: AGES.map(([age, label]) => ({
        label: t(label),
        value: kpis.overdueMilestonesByAge[age],
      })),
      locale,
    }),
  };
}
