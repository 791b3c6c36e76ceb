import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCronPattern, IsIanaTimeZone, trimString } from '../../common/validators.js';
import { REGION_CODES } from '../../countries/regions.js';
import { LOCALES, type Locale } from '../../messages/locales.js';
import { catalogMessage } from '../../common/validation.js';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportScopeDto {
  @ApiPropertyOptional({ enum: REGION_CODES })
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @ApiPropertyOptional({ type: [String], example: ['KE', 'GH'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @ArrayUnique()
  @Matches(/^[A-Z]{2}$/, catalogMessage('country_codes', { each: true }))
  countryCodes?: string[];
}

export class CreateReportDto {
  @ApiProperty({ type: ReportScopeDto, description: 'empty for the whole portfolio' })
  @IsObject()
  @ValidateNested()
  @Type(() => ReportScopeDto)
  scope: ReportScopeDto;

  // The rule registered first (the lowest) is the first error, the one a page shows: none
  // chosen says "at least 1", not "each value must be one of".
  @ApiProperty({ enum: REPORT_FORMATS, isArray: true, example: ['json', 'csv'] })
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(REPORT_FORMATS, { each: true })
  @IsArray()
  @ArrayMinSize(1)
  formats: ReportFormat[];

  @ApiPropertyOptional({
    enum: LOCALES,
    description:
      'the language of the files and of the e-mails that carry them; default: the language saved for the user who asks (of a schedule: its owner)',
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class DownloadQuery {
  @ApiProperty({ enum: REPORT_FORMATS })
  @IsIn(REPORT_FORMATS)
  format: ReportFormat;
}

export class CreateReportScheduleDto extends CreateReportDto {
  @ApiProperty({
    example: '0 7 * * 1',
    description: 'five fields: minute hour day month weekday; fires at most once an hour',
  })
  @IsCronPattern()
  cron: string;

  @ApiPropertyOptional({ example: 'Africa/Nairobi', default: 'UTC' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiProperty({
    type: [String],
    example: ['pm@itu.int'],
    description:
      'registered users (not disabled) or addresses of the domains in REPORT_RECIPIENT_DOMAINS',
  })
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  @IsArray()
  @ArrayMinSize(1)
  recipients: string[];
}

export class ReassignReportScheduleDto {
  @ApiProperty({ format: 'uuid', description: 'the new owner, who must cover the scope' })
  @IsUUID('all', catalogMessage('user_id'))
  userId: string;
}

export class PauseReportScheduleDto {
  @ApiPropertyOptional({
    example: 'Paused over the year-end break',
    description: 'why, shown with the paused schedule',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export const REPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export class ReportAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
}

export class ReportSummaryResponse {
  @ApiProperty() programmes: number;
  @ApiProperty() countries: number;
  @ApiProperty({ nullable: true, type: Number }) meanReadiness: number | null;
}

export class ReportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ nullable: true, type: Date, description: 'the instant the data was read' })
  asOf: Date | null;
  @ApiProperty({ type: () => ReportScopeDto }) scope: ReportScopeDto;
  @ApiProperty({ enum: REPORT_FORMATS, isArray: true }) formats: ReportFormat[];
  @ApiProperty({ nullable: true, type: () => ReportSummaryResponse })
  summary: ReportSummaryResponse | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the JSON snapshot' })
  contentHash: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) requestedBy: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) scheduleId: string | null;
  @ApiProperty({ enum: LOCALES, description: 'the language of the files' }) locale: Locale;
}

export class ReportScheduleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '0 7 * * 1' }) cron: string;
  @ApiProperty({ example: 'Africa/Nairobi' }) timezone: string;
  @ApiProperty({ type: () => ReportScopeDto }) scope: ReportScopeDto;
  @ApiProperty({ enum: REPORT_FORMATS, isArray: true }) formats: ReportFormat[];
  @ApiProperty({ type: [String] }) recipients: string[];
  @ApiProperty({ format: 'uuid', description: 'the owner, whose scope the schedule works in' })
  createdBy: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() paused: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'owner_disabled',
    description:
      'why it paused: owner_missing, owner_disabled, owner_scope_changed or no_recipients when it paused itself; the reason given, or null, when it was paused through POST /report-schedules/{id}/pause',
  })
  pausedReason: string | null;
  @ApiProperty({ nullable: true, type: Date }) pausedAt: Date | null;
  @ApiProperty({ enum: LOCALES, description: 'the language its reports are written in' })
  locale: Locale;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'null when paused',
  })
  nextRunAt: string | null;
}
