import { OVERDUE_AGES, type PortfolioKpis } from '../portfolio/dto/portfolio-kpis.dto.js';
import { PHASES, PHASES_BEFORE_OPERATION } from '../programmes/programme.constants.js';

/**
 * The lifecycle KPIs a report shows, each one figure. `key` tells which phase, age bucket or
 * quarter a figure is of (null for the others); `counted` how many values a median or the
 * on-time rate was taken over.
 */
export type KpiName =
  | 'programmes'
  | 'established'
  | 'programmesInPhase'
  | 'medianDaysToOperation'
  | 'medianDaysInPhase'
  | 'milestoneOnTimeRate'
  | 'staleUpdates'
  | 'overdueMilestones'
  | 'transitionsForward'
  | 'transitionsBackward';

export interface KpiFigure {
  kpi: KpiName;
  key: string | null;
  /** null for the whole scope. */
  regionCode: string | null;
  value: number | null;
  counted: number | null;
}

/** A lifecycle KPI of the whole scope that moved since the previous report. */
export interface KpiChange {
  kpi: KpiName;
  key: string | null;
  from: number | null;
  to: number | null;
}

const figure = (
  kpi: KpiName,
  value: number | null,
  { key = null, regionCode = null, counted = null }: Partial<KpiFigure> = {},
): KpiFigure => ({ kpi, key, regionCode, value, counted });

/**
 * The KPIs as a list of figures, in the order the CSV and the XLSX list them: the whole scope
 * (programmes, established, per phase, medians, on-time rate, stale updates, overdue milestones
 * by age, phase changes per quarter), then each region's programmes, established and medians.
 */
export function kpiFigures(kpis: PortfolioKpis): KpiFigure[] {
  const medians = (
    regionCode: string | null,
    of: Pick<PortfolioKpis, 'medianDaysToOperation' | 'phaseMedianDays' | 'counted'>,
  ) => [
    figure('medianDaysToOperation', of.medianDaysToOperation, {
      regionCode,
      counted: of.counted.daysToOperation,
    }),
    ...PHASES_BEFORE_OPERATION.map((phase) =>
      figure('medianDaysInPhase', of.phaseMedianDays[phase] ?? null, {
        key: phase,
        regionCode,
        counted: of.counted.phases[phase] ?? 0,
      }),
    ),
  ];
  return [
    figure('programmes', kpis.programmes),
    figure('established', kpis.established),
    ...PHASES.map((phase) => figure('programmesInPhase', kpis.byPhase[phase] ?? 0, { key: phase })),
    ...medians(null, kpis),
    figure('milestoneOnTimeRate', kpis.milestoneOnTimeRate, { counted: kpis.milestonesDone }),
    figure('staleUpdates', kpis.staleUpdates),
    ...OVERDUE_AGES.map((age) =>
      figure('overdueMilestones', kpis.overdueMilestonesByAge[age], { key: age }),
    ),
    ...kpis.transitionsByQuarter.flatMap((row) => [
      figure('transitionsForward', row.forward, { key: row.quarter }),
      figure('transitionsBackward', row.backward, { key: row.quarter }),
    ]),
    ...kpis.byRegion.flatMap((region) => [
      figure('programmes', region.programmes, { regionCode: region.regionCode }),
      figure('established', region.established, { regionCode: region.regionCode }),
      ...medians(region.regionCode, region),
    ]),
  ];
}

/** The figures "what changed" compares: the whole scope's, not the history of quarters. */
const COMPARED: ReadonlySet<KpiName> = new Set<KpiName>([
  'programmes',
  'established',
  'programmesInPhase',
  'medianDaysToOperation',
  'medianDaysInPhase',
  'milestoneOnTimeRate',
  'staleUpdates',
  'overdueMilestones',
]);

/**
 * The whole scope's KPIs that moved since the previous report, in the order of `kpiFigures`.
 * A previous report from before reports held KPIs (`previous` null) tells nothing about them.
 */
export function kpiChangesSince(
  previous: PortfolioKpis | null,
  current: PortfolioKpis,
): KpiChange[] {
  if (!previous) return [];
  const compared = (kpis: PortfolioKpis) =>
    kpiFigures(kpis).filter((row) => row.regionCode === null && COMPARED.has(row.kpi));
  const before = new Map(compared(previous).map((row) => [`${row.kpi}:${row.key}`, row.value]));
  return compared(current).flatMap(({ kpi, key, value }) => {
    const from = before.get(`${kpi}:${key}`) ?? null;
    return from === value ? [] : [{ kpi, key, from, to: value }];
  });
}
