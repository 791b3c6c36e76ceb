import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { trimString } from '../../common/validators.js';
import { ASSESSMENT_KINDS, type AssessmentKind } from '../template.types.js';

export class CreateAssessmentDto {
  @ApiProperty({ example: 'itu-ncirt-readiness' })
  @Matches(/^[a-z0-9-]{1,60}$/, {
    message: 'templateKey must be a template key such as itu-ncirt-readiness',
  })
  templateKey: string;

  @ApiPropertyOptional({ example: '1.0.0', description: 'default: the latest version' })
  @IsOptional()
  @Matches(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, { message: 'templateVersion must look like 1.0.0' })
  templateVersion?: string;
}

export class AnswerDto {
  @ApiProperty({ nullable: true, minimum: 0, maximum: 4, description: 'null: not applicable' })
  @ValidateBy({
    name: 'isLevel',
    validator: {
      validate: (value) => value === null || (Number.isInteger(value) && value >= 0 && value <= 4),
      defaultMessage: () => 'level must be an integer from 0 to 4, or null for not applicable',
    },
  })
  level: number | null;

  @ApiPropertyOptional({ description: 'required when level is null, refused otherwise' })
  @ValidateIf((answer: AnswerDto) => answer.level === null || answer.naReason !== undefined)
  @ValidateBy({
    name: 'naReasonFitsLevel',
    validator: {
      validate: (value, args) =>
        ((args?.object as AnswerDto | undefined)?.level === null) === (value !== undefined),
      defaultMessage: () => 'naReason is required for a null level (not applicable) and only then',
    },
  })
  @Transform(trimString)
  @IsString()
  @Length(1, 500)
  naReason?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'URLs, document references or notes; level 3 and 4 need one',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  evidence?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  note?: string;
}

export class ReturnAssessmentDto {
  @ApiProperty({ description: 'what the national team should change' })
  @Transform(trimString)
  @IsString()
  @Length(1, 4000)
  note: string;
}

export class TrendQuery {
  @ApiPropertyOptional({ enum: ASSESSMENT_KINDS, default: 'readiness' })
  @IsOptional()
  @IsIn(ASSESSMENT_KINDS)
  kind: AssessmentKind = 'readiness';
}
