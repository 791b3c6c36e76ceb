import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsIanaTimeZone } from '../../common/validators.js';
import { DELIVERY_MODES, type DeliveryMode, type EventKind } from '../event-kinds.js';

const mode = () => IsIn(DELIVERY_MODES);

/** One optional mode per event kind; any other key is refused (400) by the validation pipe. */
export class EventModesDto implements Partial<Record<EventKind, DeliveryMode>> {
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  transition_requested?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  transition_approved?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  transition_rejected?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  assessment_submitted?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  assessment_returned?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  assessment_validated?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  milestone_blocked?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  status_off_track?: DeliveryMode;
  @ApiPropertyOptional({ enum: DELIVERY_MODES })
  @IsOptional()
  @mode()
  report_completed?: DeliveryMode;
}

/** Replaces the caller's preferences: a kind left out is `immediate`, a time zone left out is none. */
export class UpdateNotificationPreferencesDto {
  @ApiPropertyOptional({
    type: EventModesDto,
    description: 'event kind -> immediate | daily_digest | off',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EventModesDto)
  events?: EventModesDto;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Africa/Nairobi',
    description: "the daily digest's time zone; none: the country's, else the region's, else UTC",
  })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string | null;
}

export class NotificationPreferencesResponse {
  @ApiProperty({
    description: 'every event kind with its mode',
    type: 'object',
    additionalProperties: { type: 'string', enum: [...DELIVERY_MODES] },
  })
  events: Record<EventKind, DeliveryMode>;

  @ApiProperty({ nullable: true, type: String }) timezone: string | null;

  @ApiProperty({ description: 'the time zone whose morning (08:00) the daily digest is sent in' })
  digestTimezone: string;
}
