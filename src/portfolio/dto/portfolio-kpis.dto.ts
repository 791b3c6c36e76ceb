import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validators.js';
import { REGION_CODES } from '../../countries/regions.js';

export class PortfolioKpisQuery {
  @ApiPropertyOptional({ enum: REGION_CODES })
  @IsOptional()
  @IsIn(REGION_CODES)
  region?: string;

  @ApiPropertyOptional({
    example: '2026-01-01',
    description: "first day of the period, in each country's calendar; no bound by default",
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description: "last day of the period, in each country's calendar; no bound by default",
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

const PHASE_RECORD = {
  type: 'object',
  additionalProperties: { type: 'number' },
  example: { readiness_assessment: 120, planning: 95.5 },
} as const;

export class KpiPeriod {
  @ApiProperty({ nullable: true, type: String, description: 'first day; null for no bound' })
  from: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'last day; null for no bound' })
  to: string | null;
}

export class MediansCounted {
  @ApiProperty({ description: 'programmes that reached operation in the period and were measured' })
  daysToOperation: number;
  @ApiProperty({ ...PHASE_RECORD, description: 'completed phases behind each median' })
  phases: Record<string, number>;
}

export class RegionKpis {
  @ApiProperty() regionCode: string;
  @ApiProperty() programmes: number;
  @ApiProperty({ description: 'programmes that have reached operation' }) established: number;
  @ApiProperty({ nullable: true, type: Number }) medianDaysToOperation: number | null;
  @ApiProperty({
    ...PHASE_RECORD,
    description: 'median days spent in each phase, by those that left it',
  })
  phaseMedianDays: Record<string, number>;
  @ApiProperty({ type: () => MediansCounted }) counted: MediansCounted;
}

export class QuarterTransitions {
  @ApiProperty({ example: '2026-Q3' }) quarter: string;
  @ApiProperty() forward: number;
  @ApiProperty() backward: number;
}

/** The ages of overdue milestones, in days late, as the KPIs count them. */
export const OVERDUE_AGES = ['1-30', '31-90', '91+'] as const;

export class OverdueMilestonesByAge {
  @ApiProperty({ name: '1-30' }) '1-30': number;
  @ApiProperty({ name: '31-90' }) '31-90': number;
  @ApiProperty({ name: '91+' }) '91+': number;
}

export class PortfolioKpis {
  @ApiProperty({ type: () => KpiPeriod, description: 'the period the figures over time cover' })
  period: KpiPeriod;
  @ApiProperty({ description: 'programmes in scope, cancelled ones left out' }) programmes: number;
  @ApiProperty({ ...PHASE_RECORD, description: 'programmes in each phase now' })
  byPhase: Record<string, number>;
  @ApiProperty({ description: 'programmes that have reached operation' }) established: number;
  @ApiProperty({ nullable: true, type: Number }) medianDaysToOperation: number | null;
  @ApiProperty({
    ...PHASE_RECORD,
    description: 'median days spent in each phase, by those that left it',
  })
  phaseMedianDays: Record<string, number>;
  @ApiProperty({ type: () => MediansCounted }) counted: MediansCounted;
  @ApiProperty({ type: () => [RegionKpis] }) byRegion: RegionKpis[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'milestones done by their due date over milestones done in the period, 0 to 1',
  })
  milestoneOnTimeRate: number | null;
  @ApiProperty({ description: 'milestones done in the period, behind the rate' })
  milestonesDone: number;
  @ApiProperty({ type: () => [QuarterTransitions] }) transitionsByQuarter: QuarterTransitions[];
  @ApiProperty({
    description: 'active programmes without a recent status update, as the reminders define it',
  })
  staleUpdates: number;
  @ApiProperty({ type: () => OverdueMilestonesByAge })
  overdueMilestonesByAge: OverdueMilestonesByAge;
}
