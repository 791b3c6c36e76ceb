import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { GateStakeholdersQuery } from './gate-stakeholders.query.js';
import type { Phase } from './programme.constants.js';
import { type MessageParams, formatError } from '../messages/errors/index.js';
import { GateCheckErrors } from './programme.errors.js';

/** What a failed check says: the catalog's message of its key, the code of its field error. */
function failure(key: GateCheckKey, params: MessageParams = {}): string {
  return formatError(GateCheckErrors[key].messageKey, params);
}

export const GATE_CHECKS = [
  'readiness_assessment_validated',
  'phase_milestones_closed',
  'focal_point_present',
  'host_approver_present',
  'maturity_assessment_validated',
] as const;
export type GateCheckKey = (typeof GATE_CHECKS)[number];

export interface GateCheck {
  key: GateCheckKey;
  passed: boolean;
  detail: string;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
}

/** What must hold to leave each phase (docs/domain.md §1 "Gates"). Maintenance is never left forward. */
export const GATES: Record<Phase, GateCheckKey[]> = {
  readiness_assessment: [
    'readiness_assessment_validated',
    'phase_milestones_closed',
    'focal_point_present',
    'host_approver_present',
  ],
  planning: ['phase_milestones_closed'],
  implementation: ['phase_milestones_closed'],
  operation: ['maturity_assessment_validated', 'phase_milestones_closed'],
  maintenance: [],
};

export interface GateSubject {
  id: string;
  countryCode: string;
  phase: Phase;
  phaseEnteredAt: Date;
}

/** Evaluates a phase's gate: each check is independent and says in words why it passed or not. */
@Injectable()
export class GateChecks {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly milestones: MilestonesService,
    private readonly stakeholders: GateStakeholdersQuery,
  ) {}

  async evaluate(manager: EntityManager, programme: GateSubject): Promise<GateResult> {
    // One after another: the checks share the transaction's single connection.
    const checks: GateCheck[] = [];
    for (const key of GATES[programme.phase])
      checks.push(await this.check(key, manager, programme));
    return { passed: checks.every((check) => check.passed), checks };
  }

  private async check(
    key: GateCheckKey,
    manager: EntityManager,
    programme: GateSubject,
  ): Promise<GateCheck> {
    switch (key) {
      case 'readiness_assessment_validated': {
        const passed = await this.assessments.hasValidated(
          programme.id,
          'readiness',
          undefined,
          manager,
        );
        return {
          key,
          passed,
          detail: passed ? 'A readiness assessment of this programme is validated' : failure(key),
        };
      }
      case 'maturity_assessment_validated': {
        const passed = await this.assessments.hasValidated(
          programme.id,
          'maturity',
          programme.phaseEnteredAt,
          manager,
        );
        return {
          key,
          passed,
          detail: passed
            ? 'A maturity assessment was validated after the programme entered operation'
            : failure(key),
        };
      }
      case 'phase_milestones_closed': {
        const open = await this.milestones.openInPhase(programme.id, programme.phase, manager);
        return {
          key,
          passed: open.length === 0,
          detail:
            open.length === 0
              ? `Every milestone of phase ${programme.phase} is done or cancelled`
              : failure(key, {
                  count: open.length,
                  phase: programme.phase,
                  titles: open.map((m) => m.title).join('; '),
                }),
        };
      }
      case 'focal_point_present':
        return this.stakeholderPresent(
          key,
          manager,
          programme.countryCode,
          'national_focal_point',
          'national focal point',
        );
      case 'host_approver_present':
        return this.stakeholderPresent(
          key,
          manager,
          programme.countryCode,
          'host_approver',
          'host approver',
        );
    }
  }

  private async stakeholderPresent(
    key: GateCheckKey,
    manager: EntityManager,
    countryCode: string,
    role: string,
    label: string,
  ): Promise<GateCheck> {
    const found = await this.stakeholders.presentInRole(countryCode, role, manager);
    return {
      key,
      passed: found !== undefined,
      detail: found
        ? `${found.name} is the ${label} of ${countryCode}`
        : failure(key, { country: countryCode }),
    };
  }
}
