import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsHttpUrl } from '../../common/validators.js';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  type NotificationChannel,
  type NotificationStatus,
} from '../notification.entity.js';
import { catalogMessage } from '../../common/validation.js';

export class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ example: 'reminder.milestone_overdue' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,100}$/, catalogMessage('notification_kind'))
  kind?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  @IsOptional()
  @IsIn(NOTIFICATION_CHANNELS)
  channel?: NotificationChannel;
}

/** One of the two: an e-mail address or a webhook URL. */
export class TestNotificationDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsHttpUrl()
  @MaxLength(2000)
  webhookUrl?: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'reminder.milestone_overdue' }) kind: string;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel: NotificationChannel;
  @ApiProperty({ description: 'an e-mail address or a webhook URL' }) recipient: string;
  @ApiProperty({ example: 'en' }) locale: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) providerResponse: string | null;
  @ApiProperty({ description: "not delivered before this: the recipient's working hours" })
  notBefore: Date;
  @ApiProperty({ nullable: true, type: Date }) queuedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) sentAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) programmeId: string | null;
  @ApiProperty({ nullable: true, type: String }) countryCode: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) stakeholderId: string | null;
  @ApiProperty() createdAt: Date;
}

export class TestNotificationResult {
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel: NotificationChannel;
  @ApiProperty() delivered: boolean;
  @ApiProperty({ description: 'what the mail server or the receiver said' }) response: string;
  @ApiPropertyOptional({ description: 'the signing secret used for a test webhook' })
  signingSecret?: string;
}
