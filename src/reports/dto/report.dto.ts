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
  @Matches(/^[A-Z]{2}$/, {
    each: true,
    message: 'countryCodes must be ISO 3166-1 alpha-2 codes such as KE',
  })
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
  @IsIn(REPORT_FORMATS, {
    each: true,
    message: `formats must be among ${REPORT_FORMATS.join(', ')}`,
  })
  formats: ReportFormat[];
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
  @IsEmail({}, { each: true, message: 'recipients must be e-mail addresses' })
  @MaxLength(254, { each: true })
  recipients: string[];
}

export class ReassignReportScheduleDto {
  @ApiProperty({ format: 'uuid', description: 'the new owner, who must cover the scope' })
  @IsUUID('all', { message: 'userId must be a user id (UUID)' })
  userId: string;
}
