import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthLiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

/** One dependency's state, as @nestjs/terminus reports it. */
export class HealthIndicatorStatus {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional() message?: string;
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthIndicatorStatus' },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
} as const;

/** @nestjs/terminus's HealthCheckResult: the dependencies that are up (info) and down (error). */
export class HealthReadyResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional(INDICATORS) info?: Record<string, HealthIndicatorStatus>;
  @ApiPropertyOptional(INDICATORS) error?: Record<string, HealthIndicatorStatus>;
  @ApiProperty(INDICATORS) details: Record<string, HealthIndicatorStatus>;
}
