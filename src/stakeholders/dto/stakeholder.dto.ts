import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { LOCALES, type Locale } from '../../messages/locales.js';
import { IsHttpUrl, IsIanaTimeZone, IsOmittable, trimString } from '../../common/validators.js';
import { STAKEHOLDER_ROLES, type StakeholderRole } from '../stakeholder.constants.js';

export class CreateStakeholderDto {
  @ApiProperty({ example: 'Grace Wanjiru' })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'grace@ca.go.ke' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: STAKEHOLDER_ROLES })
  @IsIn(STAKEHOLDER_ROLES)
  role: StakeholderRole;

  @ApiPropertyOptional({ example: 'Communications Authority of Kenya' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  organisation?: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'en' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ example: 'Africa/Nairobi', description: "default: the country's zone" })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 'https://hooks.example.org/cirt' })
  @IsOptional()
  @IsHttpUrl()
  @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ default: true, description: 'receives reminders' })
  @IsOptional()
  @IsBoolean()
  notify?: boolean;
}

/** Every field may change; null clears organisation, timezone or webhookUrl. */
export class UpdateStakeholderDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ enum: STAKEHOLDER_ROLES })
  @IsOmittable()
  @IsIn(STAKEHOLDER_ROLES)
  role?: StakeholderRole;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  organisation?: string | null;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOmittable()
  @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsHttpUrl()
  @MaxLength(2000)
  webhookUrl?: string | null;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  notify?: boolean;
}

export class StakeholderResponse {
  @ApiProperty() id: string;
  @ApiProperty() countryCode: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: STAKEHOLDER_ROLES }) role: StakeholderRole;
  @ApiProperty({ nullable: true, type: String }) organisation: string | null;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({ nullable: true, type: String }) timezone: string | null;
  @ApiProperty({ nullable: true, type: String }) webhookUrl: string | null;
  @ApiProperty() notify: boolean;
  @ApiPropertyOptional({
    description: 'the webhook signing secret, shown once when the webhook is first set',
  })
  webhookSecret?: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
