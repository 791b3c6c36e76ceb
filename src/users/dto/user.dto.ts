import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { LOCALES, type Locale } from '../../messages/locales.js';
import { ROLES, type Role } from '../../auth/roles.js';
import { REGION_CODES } from '../../countries/regions.js';
import { catalogMessage } from '../../common/validation.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class CreateUserDto {
  @ApiProperty({ example: 'amina@cert.go.ke' })
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Amina Odhiambo' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    type: String,
    example: 'KE',
    description: 'required for national_team, refused otherwise',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, catalogMessage('country_code'))
  countryCode?: string | null;

  @ApiPropertyOptional({
    enum: REGION_CODES,
    description: 'required for regional_coordinator, refused otherwise',
  })
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string | null;

  @ApiPropertyOptional({ enum: LOCALES, default: 'en' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @Length(12, 256)
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: String, example: 'KE', nullable: true })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, catalogMessage('country_code'))
  countryCode?: string | null;

  @ApiPropertyOptional({ enum: REGION_CODES, nullable: true })
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string | null;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(12, 256)
  password?: string;
}

export class UsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'part of the e-mail or display name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) countryCode: string | null;
  @ApiProperty({ nullable: true, type: String }) regionCode: string | null;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
