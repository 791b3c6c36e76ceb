import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsTimestamp } from '../../common/validators.js';
import { catalogMessage } from '../../common/validation.js';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'milestone' })
  @IsOptional()
  @Matches(/^[a-z_]{1,50}$/, catalogMessage('entity_type'))
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  entityId?: string;

  @ApiPropertyOptional({ example: 'KE' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, catalogMessage('country_code'))
  countryCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

export class AuditEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: Date;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "the actor's display name; null when no one signed in did it (the system)",
  })
  actorName: string | null;
  @ApiProperty() action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ nullable: true, type: String }) countryCode: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true })
  before: object | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true })
  after: object | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
}

/** What an audit listing is filtered by: the query without its page. */
export type AuditFilters = Pick<
  AuditQuery,
  'entityType' | 'entityId' | 'countryCode' | 'actorId' | 'from' | 'to'
>;

/** An event as the audit page shows it: the API's, with what names its actor and its object. */
export interface AuditEntryView extends AuditEventResponse {
  actorEmail: string | null;
  /** The programme the object is or belongs to (an assessment's, a milestone's...), if any. */
  programmeId: string | null;
  programmeTitle: string | null;
  programmeCountryCode: string | null;
  /** The object's own name, when it has one: a milestone's title, a user's name. */
  objectName: string | null;
}

/** A row of the audit export (CSV). */
export interface AuditExportRow {
  id: string;
  occurredAt: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  countryCode: string | null;
  countryName: string | null;
  actorName: string | null;
  actorEmail: string | null;
}
