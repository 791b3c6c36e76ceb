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

const COUNTRY_CODE = /^[A-Z]{2}$/;

export class CreateProgrammeDto {
  @ApiProperty({ example: 'KE' })
  @Matches(COUNTRY_CODE, { message: 'countryCode must be an ISO 3166-1 alpha-2 code such as KE' })
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

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsCalendarDate()
  startDate?: string | null;

  @ApiPropertyOptional({ nullable: true })
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
  @Matches(COUNTRY_CODE, { message: 'country must be an ISO 3166-1 alpha-2 code such as KE' })
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
  @ApiProperty({ nullable: true, type: Object }) pendingTransition: object | null;
  @ApiProperty({ nullable: true, type: Object }) latestStatusUpdate: object | null;
  @ApiProperty({ type: [Object] }) latestAssessments: object[];
}
