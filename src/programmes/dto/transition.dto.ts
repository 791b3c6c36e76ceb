import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { trimString } from '../../common/validators.js';
import { PHASES, type Phase } from '../programme.constants.js';

export class RequestTransitionDto {
  @ApiProperty({ enum: PHASES })
  @IsIn(PHASES)
  toPhase: Phase;

  @ApiPropertyOptional({ description: 'required for a move back' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 4000)
  note?: string;
}

export class ApproveTransitionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 4000)
  note?: string;
}

export class RejectTransitionDto {
  @ApiProperty({ description: 'why, for the national team' })
  @Transform(trimString)
  @IsString()
  @Length(1, 4000)
  note: string;
}
