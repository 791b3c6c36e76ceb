import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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

  @Get()
  @Roles(...READ_RIGHTS.audit)
  list(
    @CurrentActor() actor: Actor,
    @Query() query: AuditQuery,
  ): Promise<Page<AuditEventResponse>> {
    return this.auditLog.list(actor.user, query);
  }
}
