import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { trimString } from '../../common/validators.js';
import { HEALTHS, type Health } from '../../programmes/programme.constants.js';

export class CreateStatusUpdateDto {
  @ApiProperty({ enum: HEALTHS })
  @IsIn(HEALTHS)
  health: Health;

  @ApiProperty({ example: 'Design mission dates agreed with the ministry.' })
  @Transform(trimString)
  @IsString()
  @Length(1, 4000)
  summary: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 4000)
  nextSteps?: string;
}

export class StatusUpdateResponse {
  @ApiProperty() id: string;
  @ApiProperty() programmeId: string;
  @ApiProperty({ enum: HEALTHS }) health: Health;
  @ApiProperty() summary: string;
  @ApiProperty({ nullable: true, type: String }) nextSteps: string | null;
  @ApiProperty() authorId: string;
  @ApiProperty() createdAt: Date;
}
