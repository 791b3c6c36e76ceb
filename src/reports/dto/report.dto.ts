import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
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

export class ReportsQuery extends PageQuery {}

export class DownloadQuery {
  @ApiProperty({ enum: REPORT_FORMATS })
  @IsIn(REPORT_FORMATS)
  format: ReportFormat;
}
