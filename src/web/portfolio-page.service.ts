import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { REGION_CODES } from '../countries/regions.js';
import { PHASES } from '../programmes/programme.constants.js';
import { type ProgrammeSort, ProgrammesQuery } from '../programmes/dto/programme.dto.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import type { Locale } from '../messages/locales.js';
import { ASSETS_PREFIX } from './assets.js';
import { LifecycleKpisQuery } from '../portfolio/lifecycle-kpis.query.js';
import { renderBarChart } from './bar-chart.js';
import { lifecycleKpisView } from './lifecycle-kpis-view.js';
import { PortfolioQuery } from './portfolio.query.js';
import { translator } from './i18n.js';
import { WorkQueueQuery } from './work-queue.query.js';
import { renderWorldMap } from './world-map.js';

type AscendingSort = Exclude<ProgrammeSort, `-${string}`>;

/** The programme table's columns: each heading's catalog key, and the API's sort by it if any. */
const PROGRAMME_COLUMNS: { label: string; sort: AscendingSort | null; numeric: boolean }[] = [
  { label: 'country', sort: 'country', numeric: false },
  { label: 'programme', sort: null, numeric: false },
  { label: 'phase', sort: 'phase', numeric: false },
  { label: 'health', sort: null, numeric: false },
  { label: 'readiness', sort: null, numeric: false },
  { label: 'overdueMilestones', sort: null, numeric: true },
  { label: 'daysInPhase', sort: 'daysInPhase', numeric: true },
  { label: 'lifecycle.projectedOperation', sort: null, numeric: false },
];

const DEFAULT_SORT = new ProgrammesQuery().sort;

/** The portfolio with the table's filters, order and page, changed as asked, at the table. */
function tableUrl(query: ProgrammesQuery, change: { sort?: ProgrammeSort; page: number }): string {
  const { region, country, phase, status, health, q } = query;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ region, country, phase, status, health, q })) {
    if (value) params.set(name, value);
  }
  const sort = change.sort ?? query.sort;
  if (sort !== DEFAULT_SORT) params.set('sort', sort);
  if (change.page > 1) params.set('page', String(change.page));
  const search = params.toString();
  return `/app/portfolio${search ? `?${search}` : ''}#countries-title`;
}

/**
 * The programme table's headings, those the API sorts by as links that sort by them, and its
 * pager: links that work without a script, and keep the filters.
 */
function programmeTable(query: ProgrammesQuery, total: number) {
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  return {
    columns: PROGRAMME_COLUMNS.map((column) => {
      if (!column.sort) return { ...column, ariaSort: null, href: null };
      const descending = `-${column.sort}` as const;
      const ariaSort =
        query.sort === column.sort ? 'ascending' : query.sort === descending ? 'descending' : null;
      // Sorted one way, the heading sorts the other way round.
      const sort = ariaSort === 'ascending' ? descending : column.sort;
      return { ...column, ariaSort, href: tableUrl(query, { sort, page: 1 }) };
    }),
    /** The order, for the filter form to keep it. */
    sort: query.sort === DEFAULT_SORT ? null : query.sort,
    page: query.page,
    pages,
    previousHref: query.page > 1 ? tableUrl(query, { page: query.page - 1 }) : null,
    nextHref: query.page < pages ? tableUrl(query, { page: query.page + 1 }) : null,
  };
}

/**
 * The portfolio page's view model: for a manager, first what waits for them; then the countries
 * per phase, the map and its list, the regions and the programme table, within the read scope.
 */
@Injectable()
export class PortfolioPageService {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
    private readonly portfolio: PortfolioQuery,
    private readonly programmes: ProgrammesService,
    private readonly workQueue: WorkQueueQuery,
    private readonly kpis: LifecycleKpisQuery,
  ) {}

  async view(actor: Actor, lang: Locale, query: ProgrammesQuery) {
    const now = this.clock.now();
    // Managers are those who decide phase changes: the queue the counts lead to is theirs.
    const manager = this.policy.mayDo(actor.user, 'decideTransitions');
    const [allCountries, regions, programmes, counts, kpis] = await Promise.all([
      this.portfolio.countries(actor.user, lang),
      this.portfolio.regions(actor.user, now),
      this.programmes.list(actor, query),
      manager ? this.workQueue.counts(actor.user, now) : null,
      this.kpis.kpis(actor.user, { region: query.region }),
    ]);
    const t = translator(lang);
    const scope = this.policy.readScope(actor.user);
    /** The region the map and the chart show: the coordinator's, or the one filtered on. */
    const region = scope.kind === 'region' ? scope.regionCode : (query.region ?? null);
    const countries = query.region
      ? allCountries.filter((country) => country.regionCode === query.region)
      : allCountries;
    const byPhase = PHASES.map((phase) => ({
      phase,
      countries: countries.filter((country) => country.phase === phase),
    }));
    const regionName = region ? ` · ${t(`region.${region}`)}` : '';
    return {
      title: 'portfolio',
      counts,
      phaseChart: renderBarChart({
        title: `${t('countriesPerPhase')}${regionName}`,
        heading: { level: 2, id: 'phase-chart-title' },
        bars: byPhase.map(({ phase, countries: inPhase }) => ({
          label: t(`phase.${phase}`),
          value: inPhase.length,
          colour: `phase-${phase}`,
        })),
        locale: lang,
      }),
      map: renderWorldMap(
        countries.map((country) => ({
          code: country.code,
          phase: country.phase,
          href: `/app/countries/${country.code}`,
          label: `${country.name} · ${t(`phase.${country.phase}`)}`,
        })),
        { region, assetsPrefix: ASSETS_PREFIX },
      ),
      mapRegionName: regionName,
      /** The map's countries as a list, grouped by phase: the way to them without a pointer. */
      countriesByPhase: byPhase,
      regions,
      lifecycle: lifecycleKpisView(kpis, t, lang),
      programmes,
      programmeTable: programmeTable(query, programmes.total),
      query,
      phases: PHASES,
      /** The region a coordinator's portfolio is limited to, named in the heading. */
      scopeRegion: scope.kind === 'region' ? scope.regionCode : null,
      /** The regions to filter by, for those who read all of them. */
      regionChoices: scope.kind === 'all' ? REGION_CODES : null,
      /** Whether to offer the page that starts a programme. */
      mayCreateProgramme: this.policy.mayDo(actor.user, 'manageProgrammes'),
    };
  }
}
