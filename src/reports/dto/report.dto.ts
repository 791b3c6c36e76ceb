import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCronPattern, IsIanaTimeZone } from '../../common/validators.js';
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

  @ApiProperty({ enum: REPORT_FORMATS, isArray: true, example: ['json', 'csv'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(REPORT_FORMATS, { each: true })
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  recipients: string[];
}

export class ReassignReportScheduleDto {
  @ApiProperty({ format: 'uuid', description: 'the new owner, who must cover the scope' })
  @IsUUID('all', catalogMessage('user_id'))
  userId: string;
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
    enum: ['owner_missing', 'owner_disabled', 'owner_scope_changed', 'no_recipients'],
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
