import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, IsOmittable, trimString } from '../../common/validators.js';
import { REGION_CODES } from '../../countries/regions.js';
import {
  CIRT_TYPES,
  type CirtType,
  HEALTHS,
  type Health,
  HOLD_REASONS,
  type HoldReason,
  PHASES,
  type Phase,
  PROGRAMME_STATUSES,
  type ProgrammeStatus,
} from '../programme.constants.js';
import { GateResultResponse } from './transition.dto.js';
import { catalogMessage } from '../../common/validation.js';

const COUNTRY_CODE = /^[A-Z]{2}$/;

export class CreateProgrammeDto {
  @ApiProperty({ example: 'KE' })
  @Matches(COUNTRY_CODE, catalogMessage('country_code'))
  countryCode: string;

  @ApiProperty({ enum: CIRT_TYPES })
  @IsIn(CIRT_TYPES)
  cirtType: CirtType;

  @ApiPropertyOptional({
    example: 'energy',
    description: 'required for a sectoral CIRT, refused otherwise',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  sector?: string;

  @ApiPropertyOptional({ example: 'National CIRT of Kenya' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ example: '2027-01-15' })
  @IsOptional()
  @IsCalendarDate()
  startDate?: string;

  @ApiPropertyOptional({ example: '2029-06-30' })
  @IsOptional()
  @IsCalendarDate()
  targetDate?: string;
}

export class UpdateProgrammeDto {
  @ApiProperty({ description: 'the version that was read; a stale one answers 409' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  startDate?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  targetDate?: string | null;

  @ApiPropertyOptional({ enum: PROGRAMME_STATUSES })
  @IsOmittable()
  @IsIn(PROGRAMME_STATUSES)
  status?: ProgrammeStatus;

  @ApiPropertyOptional({ enum: HOLD_REASONS, description: 'required when the status is on_hold' })
  @IsOmittable()
  @IsIn(HOLD_REASONS)
  holdReason?: HoldReason;
}

export const PROGRAMME_SORTS = [
  'country',
  '-country',
  'phase',
  '-phase',
  'daysInPhase',
  '-daysInPhase',
  'updatedAt',
  '-updatedAt',
] as const;
export type ProgrammeSort = (typeof PROGRAMME_SORTS)[number];

export class ProgrammesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REGION_CODES })
  @IsOptional()
  @IsIn(REGION_CODES)
  region?: string;

  @ApiPropertyOptional({ example: 'KE' })
  @IsOptional()
  @Matches(COUNTRY_CODE, catalogMessage('country_code'))
  country?: string;

  @ApiPropertyOptional({ enum: PHASES })
  @IsOptional()
  @IsIn(PHASES)
  phase?: Phase;

  @ApiPropertyOptional({ enum: PROGRAMME_STATUSES })
  @IsOptional()
  @IsIn(PROGRAMME_STATUSES)
  status?: ProgrammeStatus;

  @ApiPropertyOptional({ enum: HEALTHS })
  @IsOptional()
  @IsIn(HEALTHS)
  health?: Health;

  @ApiPropertyOptional({ description: 'part of the title or country name, or a country code' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    enum: PROGRAMME_SORTS,
    default: 'country',
    description: '- for descending',
  })
  @IsOptional()
  @IsIn(PROGRAMME_SORTS)
  sort: ProgrammeSort = 'country';
}

export class ProgrammeSummary {
  @ApiProperty() id: string;
  @ApiProperty() countryCode: string;
  @ApiProperty() regionCode: string;
  @ApiProperty({ enum: CIRT_TYPES }) cirtType: CirtType;
  @ApiProperty({ nullable: true, type: String }) sector: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PHASES }) phase: Phase;
  @ApiProperty({ enum: PROGRAMME_STATUSES }) status: ProgrammeStatus;
  @ApiProperty() phaseEnteredAt: Date;
  @ApiProperty({ description: "whole days since the phase began, in the country's calendar" })
  daysInPhase: number;
  @ApiProperty({ enum: HEALTHS, nullable: true }) health: Health | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'of the latest validated readiness assessment',
  })
  readinessScore: number | null;
  @ApiProperty({ nullable: true, type: String }) readinessBand: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'today plus the median durations of the phases ahead of operation (docs/domain.md §7); null once in operation',
  })
  projectedOperationDate: string | null;
  @ApiProperty() milestonesDone: number;
  @ApiProperty() milestonesTotal: number;
  @ApiProperty() overdueMilestones: number;
  @ApiProperty() version: number;
  @ApiProperty() updatedAt: Date;
}

export class ProgrammeDetail extends ProgrammeSummary {
  @ApiProperty({ enum: HOLD_REASONS, nullable: true }) holdReason: HoldReason | null;
  @ApiProperty({ nullable: true, type: String }) startDate: string | null;
  @ApiProperty({ nullable: true, type: String }) targetDate: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: () => PendingTransitionSummary })
  pendingTransition: PendingTransitionSummary | null;
  @ApiProperty({ nullable: true, type: () => LatestStatusUpdate })
  latestStatusUpdate: LatestStatusUpdate | null;
  @ApiProperty({ type: () => [LatestAssessment], description: 'the latest of each kind' })
  latestAssessments: LatestAssessment[];
}

export class PendingTransitionSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PHASES }) fromPhase: Phase;
  @ApiProperty({ enum: PHASES }) toPhase: Phase;
  @ApiProperty({ format: 'uuid' }) requestedBy: string;
  @ApiProperty() requestedAt: Date;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: () => GateResultResponse })
  gate: GateResultResponse | null;
}

/** Readers without the right to status updates get only health and createdAt. */
export class LatestStatusUpdate {
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiProperty({ enum: HEALTHS }) health: Health;
  @ApiPropertyOptional() summary?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nextSteps?: string | null;
  @ApiPropertyOptional({ format: 'uuid' }) authorId?: string;
  @ApiProperty() createdAt: Date;
}

export class LatestAssessment {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() templateKey: string;
  @ApiProperty() templateVersion: string;
  @ApiProperty({ enum: ['readiness', 'maturity'] }) kind: string;
  @ApiProperty({ enum: ['draft', 'submitted', 'validated', 'returned'] }) status: string;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ nullable: true, type: String }) band: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) validatedAt: Date | null;
}

export class PhasePeriodResponse {
  @ApiProperty({ enum: PHASES }) phase: Phase;
  @ApiProperty() enteredAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'null for the current phase' })
  leftAt: Date | null;
  @ApiProperty({ description: "whole days in the phase, in the country's calendar" })
  days: number;
}

export class HistoryEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorId: string | null;
  @ApiProperty({ example: 'phase_transition.approved' }) action: string;
  @ApiProperty({ example: 'programme' }) entityType: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true })
  before: object | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true })
  after: object | null;
}

export class ProgrammeHistoryResponse {
  @ApiProperty({ type: () => [PhasePeriodResponse] }) phases: PhasePeriodResponse[];
  @ApiProperty({
    type: () => [HistoryEventResponse],
    description: 'empty for readers without the right to the audit trail',
  })
  events: HistoryEventResponse[];
}
