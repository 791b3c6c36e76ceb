import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { REGION_CODES } from '../countries/regions.js';
import { PHASES } from '../programmes/programme.constants.js';
import type { ProgrammesQuery } from '../programmes/dto/programme.dto.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import type { Locale } from '../messages/locales.js';
import { PortfolioQuery } from './portfolio.query.js';
import { translator } from './i18n.js';
import { renderWorldMap } from './world-map.js';

/** The portfolio page's view model: aggregates, map and programme table within the read scope. */
@Injectable()
export class PortfolioPageService {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
    private readonly portfolio: PortfolioQuery,
    private readonly programmes: ProgrammesService,
  ) {}

  async view(actor: Actor, lang: Locale, query: ProgrammesQuery) {
    const [countries, regions, programmes] = await Promise.all([
      this.portfolio.countries(actor.user, lang),
      this.portfolio.regions(actor.user, this.clock.now()),
      this.programmes.list(actor, query),
    ]);
    const perPhase = PHASES.map((phase) => ({
      phase,
      countries: countries.filter((country) => country.phase === phase).length,
    }));
    const map = renderWorldMap(
      countries.map((country) => ({
        code: country.code,
        phase: country.phase,
        href: `/app/countries/${country.code}`,
        label: `${country.name}`,
      })),
      translator(lang)('countriesPerPhase'),
    );
    const scope = this.policy.readScope(actor.user);
    return {
      title: 'portfolio',
      countries,
      regions,
      programmes,
      perPhase,
      map,
      query,
      phases: PHASES,
      /** The region a coordinator's portfolio is limited to, named in the heading. */
      scopeRegion: scope.kind === 'region' ? scope.regionCode : null,
      /** The regions to filter by, for those who read all of them. */
      regionChoices: scope.kind === 'all' ? REGION_CODES : null,
    };
  }
}
