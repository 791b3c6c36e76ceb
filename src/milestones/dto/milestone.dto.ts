import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsCalendarDate, IsOmittable, trimString } from '../../common/validators.js';
import { PHASES, type Phase } from '../../programmes/programme.constants.js';
import { MILESTONE_STATUSES, type MilestoneStatus } from '../milestone.constants.js';

export class CreateMilestoneDto {
  @ApiProperty({ enum: PHASES })
  @IsIn(PHASES)
  phase: Phase;

  @ApiProperty({ example: 'Stakeholder workshop held' })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  description?: string;

  @ApiProperty({ example: '2027-03-31' })
  @IsCalendarDate()
  dueDate: string;

  @ApiPropertyOptional({ description: 'a stakeholder of the same country' })
  @IsOptional()
  @IsUUID()
  ownerStakeholderId?: string;
}

export class UpdateMilestoneDto {
  @ApiProperty({ description: 'the version that was read; a stale one answers 409' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @ApiPropertyOptional({ enum: MILESTONE_STATUSES })
  @IsOmittable()
  @IsIn(MILESTONE_STATUSES)
  status?: MilestoneStatus;

  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsCalendarDate()
  dueDate?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  ownerStakeholderId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  description?: string | null;
}

export class MilestonesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PHASES })
  @IsOptional()
  @IsIn(PHASES)
  phase?: Phase;

  @ApiPropertyOptional({ enum: MILESTONE_STATUSES })
  @IsOptional()
  @IsIn(MILESTONE_STATUSES)
  status?: MilestoneStatus;

  @ApiPropertyOptional({ description: 'only open milestones past their due date' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

export class MilestoneResponse {
  @ApiProperty() id: string;
  @ApiProperty() programmeId: string;
  @ApiProperty({ enum: PHASES }) phase: Phase;
  @ApiProperty() title: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'the default plan item it was created from (its title in other languages: src/milestones/default-plan.json)',
  })
  planKey: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() dueDate: string;
  @ApiProperty({ enum: MILESTONE_STATUSES }) status: MilestoneStatus;
  @ApiProperty({ nullable: true, type: String }) ownerStakeholderId: string | null;
  @ApiProperty({ nullable: true, type: Date }) completedAt: Date | null;
  @ApiProperty({ description: "open and past its due date in the country's time zone" })
  overdue: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}
