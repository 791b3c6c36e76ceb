import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { ApiProblems } from '../common/openapi.js';
import { PortfolioKpis, PortfolioKpisQuery } from './dto/portfolio-kpis.dto.js';
import { LifecycleKpisQuery } from './lifecycle-kpis.query.js';

@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('portfolio')
export class PortfolioController {
  constructor(private readonly kpis: LifecycleKpisQuery) {}

  @ApiOperation({ summary: 'Lifecycle KPIs of the programmes in the caller’s scope' })
  @ApiOkResponse({ type: PortfolioKpis })
  @ApiProblems(400, 401, 403)
  @Get('kpis')
  @Roles(...READ_RIGHTS.programmes)
  read(@CurrentActor() actor: Actor, @Query() query: PortfolioKpisQuery): Promise<PortfolioKpis> {
    return this.kpis.kpis(actor.user, query);
  }
}
