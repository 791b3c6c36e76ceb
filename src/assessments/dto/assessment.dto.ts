import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { trimString } from '../../common/validators.js';
import { ASSESSMENT_KINDS, type AssessmentKind } from '../template.types.js';
import { catalogMessage } from '../../common/validation.js';

export class CreateAssessmentDto {
  @ApiProperty({ example: 'itu-ncirt-readiness' })
  @Matches(/^[a-z0-9-]{1,60}$/, catalogMessage('template_key'))
  templateKey: string;

  @ApiPropertyOptional({ example: '1.0.0', description: 'default: the latest version' })
  @IsOptional()
  @Matches(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/, catalogMessage('template_version'))
  templateVersion?: string;
}

export class AnswerDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 4,
    description: 'null: not applicable',
  })
  @ValidateBy({
    name: 'isLevel',
    validator: {
      validate: (value) => value === null || (Number.isInteger(value) && value >= 0 && value <= 4),
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

  @ApiPropertyOptional({
    type: [String],
    description: "ids of the programme's documents cited as evidence; they count as evidence too",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  evidenceDocuments?: string[];

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

const ASSESSMENT_STATUS_VALUES = ['draft', 'submitted', 'validated', 'returned'];
const BAND_VALUES = ['not_ready', 'emerging', 'conditionally_ready', 'ready'];

export class TemplateSummaryResponse {
  @ApiProperty({ example: 'itu-ncirt-readiness' }) key: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ enum: ASSESSMENT_KINDS }) kind: AssessmentKind;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2026-01-15' }) publishedAt: string;
}

export class TemplateIndicatorResponse {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'below level 3, it caps the band at conditionally ready' })
  critical: boolean;
}

export class TemplateAreaResponse {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty() weight: number;
  @ApiProperty({ type: () => [TemplateIndicatorResponse] })
  indicators: TemplateIndicatorResponse[];
}

export class IndicatorMappingResponse {
  @ApiProperty({ enum: ['same', 'split', 'merged', 'retired'] })
  type: 'same' | 'split' | 'merged' | 'retired';
  @ApiProperty({ type: [String] }) from: string[];
  @ApiProperty({ type: [String] }) to: string[];
}

export class TemplatePreviousResponse {
  @ApiProperty() version: string;
  @ApiProperty({ type: () => [IndicatorMappingResponse] }) mapping: IndicatorMappingResponse[];
}

export class TemplateResponse extends TemplateSummaryResponse {
  @ApiPropertyOptional() description?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'what each level 0..4 means',
  })
  scale: Record<string, string>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'guidance: what reaching each level takes, in a sentence',
  })
  scaleMeanings?: Record<string, string>;
  @ApiProperty({ type: () => [TemplateAreaResponse] }) areas: TemplateAreaResponse[];
  @ApiPropertyOptional({ type: () => TemplatePreviousResponse })
  previous?: TemplatePreviousResponse;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'the texts in fr, es, ar, ru and zh: { title, description, scale: {level: text}, scaleMeanings: {level: text}, areas: {key: text}, indicators: {key: text} }; a text left out reads in English',
  })
  translations?: Record<string, unknown>;
}

export class AssessmentSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty() templateKey: string;
  @ApiProperty() templateVersion: string;
  @ApiProperty({ enum: ASSESSMENT_KINDS }) kind: AssessmentKind;
  @ApiProperty({ enum: ASSESSMENT_STATUS_VALUES }) status: string;
  @ApiProperty({ description: 'indicators answered' }) answered: number;
  @ApiProperty({ description: 'indicators in the template' }) total: number;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ nullable: true, type: String, enum: BAND_VALUES }) band: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) submittedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) validatedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) returnNote: string | null;
}

export class AnswerResponse {
  @ApiProperty({ format: 'uuid' }) assessmentId: string;
  @ApiProperty() indicatorKey: string;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 4 }) level: number | null;
  @ApiProperty({ nullable: true, type: String }) naReason: string | null;
  @ApiProperty({ type: [String] }) evidence: string[];
  @ApiProperty({ type: [String], description: "the programme's documents cited, by id" })
  evidenceDocuments: string[];
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'uuid' }) updatedBy: string;
  @ApiProperty() updatedAt: Date;
}

/** Readers with scores only (observers) get no responses. */
export class AssessmentDetailResponse extends AssessmentSummaryResponse {
  @ApiPropertyOptional({ type: () => [AnswerResponse] }) responses?: AnswerResponse[];
}

export class AreaScoreResponse {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: Number, description: 'null when nothing was answered' })
  score: number | null;
}

export class GapResponse {
  @ApiProperty() indicatorKey: string;
  @ApiProperty() title: string;
  @ApiProperty() level: number;
  @ApiProperty() critical: boolean;
}

/** Readers with scores only (observers) get no gaps: they name the levels answered. */
export class ScoreResponse {
  @ApiProperty({ nullable: true, type: Number }) overall: number | null;
  @ApiProperty({ nullable: true, type: String, enum: BAND_VALUES }) band: string | null;
  @ApiProperty({ description: 'a critical indicator below level 3 held the band' })
  capped: boolean;
  @ApiProperty({ type: () => [AreaScoreResponse] }) areas: AreaScoreResponse[];
  @ApiPropertyOptional({ type: () => [GapResponse] }) gaps?: GapResponse[];
}

export class TrendAreaResponse {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
}

export class TrendPointAreaResponse {
  @ApiProperty() key: string;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
}

export class TrendPointResponse {
  @ApiProperty({ format: 'uuid' }) assessmentId: string;
  @ApiProperty({ description: 'the version it was answered on' }) templateVersion: string;
  @ApiProperty() validatedAt: Date;
  @ApiProperty({ nullable: true, type: Number }) overall: number | null;
  @ApiProperty({ nullable: true, type: String, enum: BAND_VALUES }) band: string | null;
  @ApiProperty({ type: () => [TrendPointAreaResponse] }) areas: TrendPointAreaResponse[];
}

export class TrendResponse {
  @ApiProperty({ enum: ASSESSMENT_KINDS }) kind: AssessmentKind;
  @ApiProperty({ nullable: true, type: String }) templateKey: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the version whose areas every point is expressed in: the newest',
  })
  templateVersion: string | null;
  @ApiProperty({ type: () => [TrendAreaResponse] }) areas: TrendAreaResponse[];
  @ApiProperty({ type: () => [TrendPointResponse] }) points: TrendPointResponse[];
}
