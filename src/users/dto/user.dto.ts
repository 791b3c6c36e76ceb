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
import { IsIanaTimeZone } from '../../common/validators.js';

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

  @ApiPropertyOptional({
    minLength: 12,
    maxLength: 256,
    description: 'the initial password, which the user must replace; or else `invite`',
  })
  @IsOptional()
  @IsString()
  @Length(12, 256)
  password?: string;

  @ApiPropertyOptional({
    description:
      'true: no password; the user is e-mailed a link, valid once for 7 days, to choose their own',
  })
  @IsOptional()
  @IsBoolean()
  invite?: boolean;
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

/** What anyone may set on their own account. */
export class UpdateOwnSettingsDto {
  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Africa/Nairobi',
    description: "the time zone of the pages' times; null: the browser's",
  })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string | null;
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

  @ApiPropertyOptional({
    enum: REGION_CODES,
    description: "those who work in the region: its coordinators and its countries' national teams",
  })
  @IsOptional()
  @IsIn(REGION_CODES)
  regionCode?: string;

  @ApiPropertyOptional({ type: String, example: 'KE', description: "the country's national team" })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, catalogMessage('country_code'))
  countryCode?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'only disabled, or only active, users',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  disabled?: 'true' | 'false';
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) countryCode: string | null;
  @ApiProperty({ nullable: true, type: String }) regionCode: string | null;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "the pages' time zone; none: the browser's",
  })
  timezone: string | null;
  @ApiProperty({ description: 'someone else set the password: the user must choose their own' })
  passwordChangeRequired: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class InvitationSentResponse {
  @ApiProperty({ description: 'until when the new link works; the links sent before no longer do' })
  expiresAt: Date;
}
