import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { PHASE_DELIVERABLES } from '../documents/document.constants.js';
import { DocumentsService } from '../documents/documents.service.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { GateStakeholdersQuery } from './gate-stakeholders.query.js';
import type { Phase } from './programme.constants.js';
import { type ErrorParams, formatError } from '../messages/catalog.js';
import { GateCheckErrors } from './programme.errors.js';

/**
 * A failed check: what it says is the catalog's message of its key, kept with the values it names
 * so that a refusal can say it in the reader's language.
 */
function failed(key: GateCheckKey, params: ErrorParams = {}): GateCheck {
  return {
    key,
    passed: false,
    detail: formatError(GateCheckErrors[key].messageKey, params),
    params,
  };
}

export const GATE_CHECKS = [
  'readiness_assessment_validated',
  'phase_milestones_closed',
  'focal_point_present',
  'host_approver_present',
  'maturity_assessment_validated',
  'assessment_report_uploaded',
  'design_document_uploaded',
  'operational_acceptance_uploaded',
] as const;
export type GateCheckKey = (typeof GATE_CHECKS)[number];

export interface GateCheck {
  key: GateCheckKey;
  passed: boolean;
  detail: string;
  /**
   * The values its words name, to say it again in another language: the errors catalog's message
   * of the key when failed, the pages catalog's `gatePassed.<key>` when passed. Absent on checks
   * stored before there were any.
   */
  params?: ErrorParams;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
}

/** What must hold to leave each phase (docs/domain.md §1 "Gates"). Maintenance is never left forward. */
export const GATES: Record<Phase, GateCheckKey[]> = {
  readiness_assessment: [
    'readiness_assessment_validated',
    'assessment_report_uploaded',
    'phase_milestones_closed',
    'focal_point_present',
    'host_approver_present',
  ],
  planning: ['design_document_uploaded', 'phase_milestones_closed'],
  implementation: ['operational_acceptance_uploaded', 'phase_milestones_closed'],
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
    private readonly documents: DocumentsService,
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
        return passed
          ? {
              key,
              passed,
              detail: 'A readiness assessment of this programme is validated',
              params: {},
            }
          : failed(key);
      }
      case 'maturity_assessment_validated': {
        const passed = await this.assessments.hasValidated(
          programme.id,
          'maturity',
          programme.phaseEnteredAt,
          manager,
        );
        return passed
          ? {
              key,
              passed,
              detail: 'A maturity assessment was validated after the programme entered operation',
              params: {},
            }
          : failed(key);
      }
      case 'phase_milestones_closed': {
        const open = await this.milestones.openInPhase(programme.id, programme.phase, manager);
        return open.length === 0
          ? {
              key,
              passed: true,
              detail: `Every milestone of phase ${programme.phase} is done or cancelled`,
              params: { phase: programme.phase },
            }
          : failed(key, {
              count: open.length,
              phase: programme.phase,
              titles: open.map((m) => m.title).join('; '),
            });
      }
      case 'assessment_report_uploaded':
      case 'design_document_uploaded':
      case 'operational_acceptance_uploaded': {
        // The deliverable that ends the phase (documents/document.constants.ts).
        const kind = PHASE_DELIVERABLES[programme.phase]!;
        const passed = await this.documents.hasKind(programme.id, kind, manager);
        return passed
          ? { key, passed, detail: `A document of kind ${kind} is uploaded`, params: { kind } }
          : failed(key, { kind });
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
    return found
      ? {
          key,
          passed: true,
          detail: `${found.name} is the ${label} of ${countryCode}`,
          params: { name: found.name, country: countryCode },
        }
      : failed(key, { country: countryCode });
  }
}
