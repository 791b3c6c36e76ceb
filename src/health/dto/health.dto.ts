import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthLiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

/** One dependency's state, as @nestjs/terminus reports it. */
export class HealthIndicatorStatus {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ description: 'how long the check took, in milliseconds' })
  responseTime?: number;
  @ApiPropertyOptional({
    enum: ['embedded', 'external'],
    description:
      "database only: the service's own PostgreSQL (DATA_DIR) or the one DATABASE_URL names",
  })
  kind?: 'embedded' | 'external';
  @ApiPropertyOptional({
    enum: ['redis', 'postgres'],
    description: 'queues only: Redis (REDIS_URL) or the database (schema bullmq)',
  })
  backend?: 'redis' | 'postgres';
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthIndicatorStatus' },
  example: {
    database: { status: 'up', responseTime: 1, kind: 'embedded' },
    queues: { status: 'up', backend: 'postgres' },
  },
} as const;

/** @nestjs/terminus's HealthCheckResult: the dependencies that are up (info) and down (error). */
export class HealthReadyResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional(INDICATORS) info?: Record<string, HealthIndicatorStatus>;
  @ApiPropertyOptional(INDICATORS) error?: Record<string, HealthIndicatorStatus>;
  @ApiProperty(INDICATORS) details: Record<string, HealthIndicatorStatus>;
}
