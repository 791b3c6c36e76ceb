import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { trimString } from '../../common/validators.js';
import type { Direction } from '../lifecycle.js';
import { TRANSITION_STATUSES, type TransitionStatus } from '../phase-transition.entity.js';
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

/** The keys of gate checks (programmes/gates.ts GATE_CHECKS). */
const GATE_CHECK_KEYS = [
  'readiness_assessment_validated',
  'phase_milestones_closed',
  'focal_point_present',
  'host_approver_present',
  'maturity_assessment_validated',
];

export class GateCheckResponse {
  @ApiProperty({ enum: GATE_CHECK_KEYS }) key: string;
  @ApiProperty() passed: boolean;
  @ApiProperty({ description: 'what holds or is missing, in English' })
  detail: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      "the values the detail names (a count, a phase, a stakeholder's name), to say it in another language; absent on checks made before they were kept",
  })
  params?: Record<string, string | number | boolean | null | undefined>;
}

export class GateResultResponse {
  @ApiProperty() passed: boolean;
  @ApiProperty({ type: () => [GateCheckResponse] }) checks: GateCheckResponse[];
}

export class TransitionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ enum: TRANSITION_STATUSES }) status: TransitionStatus;
  @ApiProperty({ enum: ['forward', 'backward'] }) direction: Direction;
  @ApiProperty({ enum: PHASES }) fromPhase: Phase;
  @ApiProperty({ enum: PHASES }) toPhase: Phase;
  @ApiProperty({ format: 'uuid' }) requestedBy: string;
  @ApiProperty() requestedAt: Date;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({
    nullable: true,
    type: () => GateResultResponse,
    description: 'the gate as checked at the request; none for a move back',
  })
  gate: GateResultResponse | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty({ nullable: true, type: () => GateResultResponse })
  gateAtDecision: GateResultResponse | null;
}
