import { Global, Module } from '@nestjs/common';
import { AuditLogQuery } from './audit-log.query.js';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

/** Writing the trail: every module records its changes through AuditService. */
@Global()
@Module({ providers: [AuditRepository, AuditService], exports: [AuditService] })
export class AuditModule {}

/** Reading the trail over HTTP (GET /audit), and for the audit page. */
@Module({ controllers: [AuditController], providers: [AuditLogQuery], exports: [AuditLogQuery] })
export class AuditLogModule {}
