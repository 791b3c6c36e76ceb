import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, pageOf } from '../common/openapi.js';
import { READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import type { Page } from '../common/pagination.js';
import { AuditLogQuery } from './audit-log.query.js';
import { AuditEventResponse, AuditQuery } from './dto/audit.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly auditLog: AuditLogQuery) {}

  @ApiOperation({ summary: 'Audit events in the caller’s scope, filtered' })
  @ApiOkResponse({ type: pageOf(AuditEventResponse) })
  @ApiProblems(400, 401, 403)
  @Get()
  @Roles(...READ_RIGHTS.audit)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: AuditQuery,
  ): Promise<Page<AuditEventResponse>> {
    return this.auditLog.list(actor.user, query);
  }
}
