import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LOCALES, type Locale } from '../../messages/locales.js';
import { REGION_CODES } from '../regions.js';

export class LanguageQuery {
  @ApiPropertyOptional({ enum: LOCALES, default: 'en', description: 'Language of the names' })
  @IsOptional()
  @IsIn(LOCALES)
  lang: Locale = 'en';
}

export class CountriesQuery extends LanguageQuery {
  @ApiPropertyOptional({ enum: REGION_CODES })
  @IsOptional()
  @IsIn(REGION_CODES)
  region?: string;
}
