import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import type { AssessmentStatus } from '../../assessments/assessment.entity.js';
import { catalogMessage } from '../../common/validation.js';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, trimString } from '../../common/validators.js';
import { REGION_CODES } from '../../countries/regions.js';
import { CIRT_TYPES, type CirtType } from '../../programmes/programme.constants.js';
import {
  CAMPAIGN_STATUSES,
  type CampaignStatus,
  SKIP_REASONS,
  type SkipReason,
} from '../campaign.constants.js';

export class LaunchCampaignDto {
  @ApiProperty({ example: 'AFR readiness 2027', minLength: 1, maxLength: 200 })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ example: 'itu-ncirt-readiness' })
  @IsString()
  @Matches(/^[a-z0-9-]{1,60}$/, catalogMessage('template_key'))
  templateKey: string;

  @ApiPropertyOptional({ example: '1.0.0', description: 'the latest published version without it' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, catalogMessage('template_version'))
  templateVersion?: string;

  @ApiPropertyOptional({ enum: REGION_CODES, description: 'not with countryCodes' })
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['KE', 'GH'],
    description: 'not with regionCode; neither: every country the caller may launch in',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @ArrayUnique()
  @Matches(/^[A-Z]{2}$/, catalogMessage('country_codes', { each: true }))
  countryCodes?: string[];

  @ApiPropertyOptional({ enum: CIRT_TYPES, description: 'only programmes of this kind of CIRT' })
  @IsOptional()
  @IsIn(CIRT_TYPES)
  cirtType?: CirtType;

  @ApiProperty({
    example: '2027-06-30',
    description:
      'today or later, in UTC (the drafts are due at the end of that day where each country is)',
  })
  @IsCalendarDate()
  dueDate: string;
}

export class CampaignListQuery extends PageQuery {}

/** A programme of the scope that got no draft, and why. */
export class SkippedProgramme {
  @ApiProperty() countryCode: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ enum: SKIP_REASONS }) reason: SkipReason;
}

export class LaunchedCampaign {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'drafts created, one per programme reached' }) created: number;
  @ApiProperty({ type: [SkippedProgramme] }) skipped: SkippedProgramme[];
}

/** How many of a campaign's drafts are at each status. */
export class CampaignProgress {
  @ApiProperty() draft: number;
  @ApiProperty() submitted: number;
  @ApiProperty() returned: number;
  @ApiProperty() validated: number;
  @ApiProperty() total: number;
}

export class RegionProgress extends CampaignProgress {
  @ApiProperty({ enum: REGION_CODES }) regionCode: string;
}

/** A draft not yet submitted: still with its national team. */
export class CampaignLaggard {
  @ApiProperty({ format: 'uuid' }) assessmentId: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty() programmeTitle: string;
  @ApiProperty() countryCode: string;
  @ApiProperty({ description: "in the reader's language" }) countryName: string;
  @ApiProperty({ enum: REGION_CODES }) regionCode: string;
  @ApiProperty({ enum: ['draft', 'returned'] }) status: AssessmentStatus;
}

export class CampaignSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() templateKey: string;
  @ApiProperty() templateVersion: string;
  @ApiProperty({ type: String, nullable: true, enum: REGION_CODES }) regionCode: string | null;
  @ApiProperty({ type: [String], nullable: true }) countryCodes: string[] | null;
  @ApiProperty({ type: String, nullable: true, enum: CIRT_TYPES }) cirtType: CirtType | null;
  @ApiProperty({ example: '2027-06-30' }) dueDate: string;
  @ApiProperty({ enum: CAMPAIGN_STATUSES }) status: CampaignStatus;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) closedBy: string | null;
  @ApiProperty({ type: CampaignProgress, description: "within the reader's scope" })
  progress: CampaignProgress;
}

export class CampaignDetail extends CampaignSummary {
  @ApiProperty({ type: [RegionProgress] }) regions: RegionProgress[];
  @ApiProperty({ type: [CampaignLaggard] }) laggards: CampaignLaggard[];
}

/** A programme of a launch's scope: reached (a draft), or skipped with the reason. */
export interface PlannedProgramme {
  programmeId: string;
  programmeTitle: string | null;
  countryCode: string;
  countryName: string;
  regionCode: string;
  reason?: SkipReason;
}

/** What a launch would do, written nowhere: the programmes it reaches and those it skips. */
export interface CampaignPlan {
  reached: PlannedProgramme[];
  skipped: PlannedProgramme[];
}
