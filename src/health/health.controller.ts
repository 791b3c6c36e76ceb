import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiPublicOperation } from '../common/openapi.js';
import {
  HealthIndicatorStatus,
  HealthLiveResponse,
  HealthReadyResponse,
} from './dto/health.dto.js';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.decorators.js';
import { AppConfig } from '../config/app-config.js';
import { QueueHealthIndicator } from './queue.health.js';

const CHECK_TIMEOUT_MS = 1_000;

@ApiTags('health')
@ApiExtraModels(HealthIndicatorStatus)
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly queues: QueueHealthIndicator,
    private readonly config: AppConfig,
  ) {}

  /** The process is up and serving; says nothing of its dependencies. */
  @ApiPublicOperation('Liveness: the process is up')
  @ApiOkResponse({ type: HealthLiveResponse })
  @Get('live')
  live(): HealthLiveResponse {
    return { status: 'ok' };
  }

  /**
   * Ready to do work: the database and the queues both answer. 503 with the details otherwise.
   * The database's entry says which PostgreSQL it is: the service's own (`embedded`, DATA_DIR) or
   * the one DATABASE_URL names (`external`); the queues' says where they live (`redis` when
   * REDIS_URL is set, else `postgres`).
   */
  @ApiPublicOperation(
    'Readiness: the database (embedded or external) and the queues (Redis or PostgreSQL) answer',
  )
  @ApiOkResponse({ type: HealthReadyResponse })
  @ApiServiceUnavailableResponse({ type: HealthReadyResponse, description: 'A dependency is down' })
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        async () => {
          const { database } = await this.database
            .pingCheck('database')
            .withTimeout(CHECK_TIMEOUT_MS);
          return {
            database: { ...database, kind: this.config.embeddedDatabase ? 'embedded' : 'external' },
          };
        },
        () => this.queues.check('queues', CHECK_TIMEOUT_MS),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
