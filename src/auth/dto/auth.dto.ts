import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { LOCALES } from '../../messages/locales.js';
import { UserResponse } from '../../users/dto/user.dto.js';
import { ROLES, type Role } from '../roles.js';

export class LoginDto {
  @ApiProperty({ example: 'amina@cert.go.ke' })
  @IsString()
  @Length(1, 254)
  email: string;

  @ApiProperty()
  @IsString()
  @Length(1, 256)
  password: string;
}

export class LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'seconds' }) expiresIn: number;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}

export class MeResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ example: 'KE' }) countryCode?: string;
  @ApiPropertyOptional({ example: 'AFR' }) regionCode?: string;
  @ApiProperty({ enum: LOCALES }) locale: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "the pages' time zone; none: the browser's",
  })
  timezone: string | null;
  @ApiProperty({ description: 'someone else set the password: choose one before anything else' })
  passwordChangeRequired: boolean;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'nightly export' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 730, default: 90 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;
}

export class ApiTokenResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'shown once; keep it secret' }) token: string;
}

/** The password an invited user chooses, as the invitation's page posts it. */
export class InvitationPasswordDto {
  @ApiProperty({ minLength: 12, maxLength: 256, description: 'not the e-mail address' })
  @IsString()
  @Length(12, 256)
  newPassword: string;
}

export class AcceptInvitationDto extends InvitationPasswordDto {
  @ApiProperty({ description: 'the end of the link in the invitation e-mail, after /invitation/' })
  @IsString()
  @Length(1, 100)
  token: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'not the e-mail address' })
  @IsString()
  @Length(12, 256)
  newPassword: string;
}
