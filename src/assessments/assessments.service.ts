import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuditAction } from '../audit/audit-actions.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DocumentsService } from '../documents/documents.service.js';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor, Principal } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, fieldError, invalidField, notFound } from '../common/domain-error.js';
import type { ErrorEntry } from '../common/error-catalog.js';
import { AssessmentErrors, AssessmentFieldErrors } from './assessment.errors.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { EventNotifier } from '../events/event-notifier.service.js';
import { ProgrammeAccess, assertNotCancelled } from '../programmes/programme-access.service.js';
import type { Assessment, AssessmentResponse, AssessmentStatus } from './assessment.entity.js';
import { AssessmentsRepository } from './assessments.repository.js';
import type { AnswerDto, CreateAssessmentDto } from './dto/assessment.dto.js';
import { type Score, scoreAssessment } from './scoring.js';
import type { Answers, AssessmentKind, AssessmentTemplate } from './template.types.js';
import { TemplatesService } from './templates.service.js';

export interface AssessmentSummary {
  id: string;
  programmeId: string;
  templateKey: string;
  templateVersion: string;
  kind: AssessmentKind;
  status: AssessmentStatus;
  answered: number;
  total: number;
  score: number | null;
  band: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  validatedAt: Date | null;
  returnNote: string | null;
}

const EDITABLE: AssessmentStatus[] = ['draft', 'returned'];

function indicatorCount(template: AssessmentTemplate): number {
  return template.areas.reduce((count, area) => count + area.indicators.length, 0);
}

/** A score as its reader may see it: the gaps only with the right to read the answers. */
export type ViewedScore = Omit<Score, 'gaps'> & { gaps?: Score['gaps'] };

/** The gaps name indicators and levels answered: without a right to the answers, only the scores. */
function forViewer(score: Score, mayReadAnswers: boolean): ViewedScore {
  if (mayReadAnswers) return score;
  const { gaps: _gaps, ...scores } = score;
  return scores;
}

export interface MissingAnswer {
  key: string;
  title: string;
  reason: 'unanswered' | 'needsEvidence';
  level?: number;
}

/** What stops an assessment from being submitted: unanswered indicators, and levels 3 and 4 without evidence. */
export function missingAnswers(
  template: AssessmentTemplate,
  responses: Pick<
    AssessmentResponse,
    'indicatorKey' | 'level' | 'evidence' | 'evidenceDocuments'
  >[],
): MissingAnswer[] {
  const byKey = new Map(responses.map((response) => [response.indicatorKey, response]));
  return template.areas.flatMap((area) =>
    area.indicators.flatMap((indicator): MissingAnswer[] => {
      const response = byKey.get(indicator.key);
      if (!response) return [{ key: indicator.key, title: indicator.title, reason: 'unanswered' }];
      const cited = response.evidence.length + response.evidenceDocuments.length;
      if (response.level !== null && response.level >= 3 && cited === 0) {
        return [
          {
            key: indicator.key,
            title: indicator.title,
            reason: 'needsEvidence',
            level: response.level,
          },
        ];
      }
      return [];
    }),
  );
}

@Injectable()
export class AssessmentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: AssessmentsRepository,
    private readonly templates: TemplatesService,
    private readonly programmes: ProgrammeAccess,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly events: EventNotifier,
    private readonly clock: Clock,
    private readonly documents: DocumentsService,
  ) {}

  /** A deleted document is no longer evidence: the answers that cited it stop citing it. */
  onModuleInit(): void {
    this.documents.whenDeleted((manager, { documentId, programmeId }) =>
      this.repository.uncite(documentId, programmeId, manager),
    );
  }

  async create(
    actor: Actor,
    programmeId: string,
    dto: CreateAssessmentDto,
  ): Promise<AssessmentSummary> {
    let template: AssessmentTemplate;
    try {
      template = this.templates.get(dto.templateKey, dto.templateVersion);
    } catch {
      throw invalidField('templateKey', AssessmentFieldErrors.template_not_published, {
        key: dto.templateKey,
        hasVersion: dto.templateVersion ? 'yes' : 'no',
        version: dto.templateVersion,
      });
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const programme = await this.programmes.forWrite(actor.user, programmeId, manager);
        assertNotCancelled(programme);
        const assessment = await this.repository.insertAssessment(
          {
            programmeId,
            templateKey: template.key,
            templateVersion: template.version,
            kind: template.kind,
            createdBy: actor.user.id,
          },
          manager,
        );
        await this.record(
          manager,
          actor,
          'assessment.created',
          assessment,
          programme.countryCode,
          null,
          assessment,
        );
        return this.summary(assessment, 0);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(AssessmentErrors.assessment_open, { templateKey: template.key });
      }
      throw error;
    }
  }

  /**
   * A campaign's draft for a programme, in the campaign's transaction: the caller (the campaigns
   * module) has chosen the programme and checked the launcher's scope. A programme with an open
   * assessment of the template meanwhile fails the whole launch on the unique index.
   */
  async createForCampaign(
    manager: EntityManager,
    actor: Actor,
    draft: {
      programmeId: string;
      countryCode: string;
      template: AssessmentTemplate;
      campaignId: string;
    },
  ): Promise<AssessmentSummary> {
    const assessment = await this.repository.insertAssessment(
      {
        programmeId: draft.programmeId,
        templateKey: draft.template.key,
        templateVersion: draft.template.version,
        kind: draft.template.kind,
        createdBy: actor.user.id,
        campaignId: draft.campaignId,
      },
      manager,
    );
    await this.record(
      manager,
      actor,
      'assessment.created',
      assessment,
      draft.countryCode,
      null,
      assessment,
    );
    return this.summary(assessment, 0);
  }

  async listForProgramme(actor: Actor, programmeId: string): Promise<AssessmentSummary[]> {
    await this.programmes.forRead(actor.user, programmeId);
    const assessments = await this.repository.listForProgramme(programmeId);
    const counts = await this.repository.countAnswersByAssessment(
      assessments.map((assessment) => assessment.id),
    );
    const answered = new Map(counts.map((count) => [count.id, count.answered]));
    return assessments.map((assessment) =>
      this.summary(assessment, answered.get(assessment.id) ?? 0),
    );
  }

  async get(
    actor: Actor,
    id: string,
  ): Promise<AssessmentSummary | (AssessmentSummary & { responses: AssessmentResponse[] })> {
    const { assessment, responses } = await this.load(actor.user, id);
    const summary = this.summary(assessment, responses.length);
    return this.policy.mayRead(actor.user, 'assessmentAnswers')
      ? { ...summary, responses }
      : summary;
  }

  async score(actor: Actor, id: string): Promise<ViewedScore> {
    const { assessment, responses } = await this.load(actor.user, id);
    const score =
      assessment.score ?? scoreAssessment(this.template(assessment), this.answers(responses));
    return forViewer(score, this.policy.mayRead(actor.user, 'assessmentAnswers'));
  }

  async answer(
    actor: Actor,
    id: string,
    indicatorKey: string,
    dto: AnswerDto,
  ): Promise<AssessmentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const { assessment, countryCode } = await this.lockForWrite(actor, id, manager);
      this.assertStatus(assessment, EDITABLE, AssessmentErrors.assessment_not_editable);
      const known = this.template(assessment).areas.some((area) =>
        area.indicators.some((i) => i.key === indicatorKey),
      );
      if (!known)
        throw notFound(
          `Indicator ${indicatorKey} of ${assessment.templateKey} ${assessment.templateVersion}`,
        );

      await this.documents.assertOfProgramme(
        'evidenceDocuments',
        dto.evidenceDocuments ?? [],
        assessment.programmeId,
        manager,
      );
      const before = await this.repository.findResponse(id, indicatorKey, manager);
      const saved = await this.repository.saveResponse(
        {
          assessmentId: id,
          indicatorKey,
          level: dto.level,
          naReason: dto.level === null ? dto.naReason! : null,
          evidence: dto.evidence ?? [],
          evidenceDocuments: dto.evidenceDocuments ?? [],
          note: dto.note ?? null,
          updatedBy: actor.user.id,
        },
        manager,
      );
      await this.repository.touchAssessment(id, this.clock.now(), manager);
      await this.record(
        manager,
        actor,
        'assessment.answered',
        assessment,
        countryCode,
        before,
        saved,
      );
      return saved;
    });
  }

  /** Refuses (422) while any indicator is unanswered or a level 3 or 4 lacks evidence, listing all. */
  async submit(actor: Actor, id: string): Promise<AssessmentSummary> {
    return this.dataSource.transaction(async (manager) => {
      const { assessment, countryCode } = await this.lockForWrite(actor, id, manager);
      this.assertStatus(assessment, EDITABLE, AssessmentErrors.assessment_not_submittable);
      const responses = await this.repository.listResponses(id, manager);
      const problems = missingAnswers(this.template(assessment), responses).map((missing) =>
        fieldError(
          `responses.${missing.key}`,
          missing.reason === 'unanswered'
            ? AssessmentFieldErrors.indicator_unanswered
            : AssessmentFieldErrors.indicator_needs_evidence,
          { indicator: missing.key, level: missing.level },
        ),
      );
      if (problems.length > 0) {
        throw new DomainError(
          AssessmentErrors.assessment_incomplete,
          { count: problems.length },
          { errors: problems },
        );
      }
      const before = { ...assessment };
      const score = scoreAssessment(this.template(assessment), this.answers(responses));
      Object.assign(assessment, {
        status: 'submitted',
        score,
        overallScore: score.overall,
        band: score.band,
        submittedAt: this.clock.now(),
        returnNote: null,
      });
      await this.repository.saveAssessment(assessment, manager);
      await this.record(
        manager,
        actor,
        'assessment.submitted',
        assessment,
        countryCode,
        before,
        assessment,
      );
      await this.events.notify(manager, {
        kind: 'assessment_submitted',
        subject: `${id}:${assessment.submittedAt!.toISOString()}`,
        actor: actor.user,
        programmeId: assessment.programmeId,
      });
      return this.summary(assessment, responses.length);
    });
  }

  /** Validation freezes the assessment: its answers and score stand from then on. */
  async validate(actor: Actor, id: string): Promise<AssessmentSummary> {
    return this.review(actor, id, 'assessment.validated', 'assessment_validated', (assessment) =>
      Object.assign(assessment, {
        status: 'validated',
        validatedAt: this.clock.now(),
        validatedBy: actor.user.id,
      }),
    );
  }

  /** Back to the national team with a note; editable again until submitted anew. */
  async returnForChanges(actor: Actor, id: string, note: string): Promise<AssessmentSummary> {
    return this.review(actor, id, 'assessment.returned', 'assessment_returned', (assessment) =>
      Object.assign(assessment, {
        status: 'returned',
        returnNote: note,
        score: null,
        overallScore: null,
        band: null,
      }),
    );
  }

  /** For the phase gates: a validated assessment of this kind, validated at or after `since`. */
  async hasValidated(
    programmeId: string,
    kind: AssessmentKind,
    since?: Date,
    manager?: EntityManager,
  ): Promise<boolean> {
    return this.repository.hasValidated(programmeId, kind, since ?? new Date(0), manager);
  }

  /** The answers of an assessment, for the trend across template versions. */
  async answersOf(assessmentId: string): Promise<Answers> {
    return this.answers(await this.repository.listResponses(assessmentId));
  }

  private async review(
    actor: Actor,
    id: string,
    action: AuditAction,
    kind: 'assessment_validated' | 'assessment_returned',
    change: (assessment: Assessment) => void,
  ): Promise<AssessmentSummary> {
    return this.dataSource.transaction(async (manager) => {
      const { assessment, countryCode } = await this.lockForWrite(actor, id, manager);
      this.assertStatus(assessment, ['submitted'], AssessmentErrors.assessment_not_submitted);
      const before = { ...assessment };
      change(assessment);
      await this.repository.saveAssessment(assessment, manager);
      await this.record(manager, actor, action, assessment, countryCode, before, assessment);
      await this.events.notify(manager, {
        kind,
        subject: `${id}:${this.clock.now().toISOString()}`,
        actor: actor.user,
        programmeId: assessment.programmeId,
        params: { note: assessment.returnNote ?? undefined },
      });
      return this.summary(assessment, await this.repository.countAnswers(id, manager));
    });
  }

  private async load(user: Principal, id: string) {
    const assessment = await this.repository.findById(id);
    if (!assessment) throw notFound(`Assessment ${id}`);
    await this.programmes.forRead(user, assessment.programmeId, undefined, `Assessment ${id}`);
    const responses = await this.repository.listResponsesByIndicator(id);
    return { assessment, responses };
  }

  private async lockForWrite(actor: Actor, id: string, manager: EntityManager) {
    const assessment = await this.repository.findByIdForUpdate(id, manager);
    if (!assessment) throw notFound(`Assessment ${id}`);
    const programme = await this.programmes.forWrite(
      actor.user,
      assessment.programmeId,
      manager,
      `Assessment ${id}`,
    );
    return { assessment, countryCode: programme.countryCode };
  }

  private assertStatus(
    assessment: Assessment,
    allowed: AssessmentStatus[],
    refusal: ErrorEntry,
  ): void {
    if (!allowed.includes(assessment.status)) {
      throw new DomainError(refusal, { id: assessment.id, status: assessment.status });
    }
  }

  private template(assessment: Assessment): AssessmentTemplate {
    return this.templates.get(assessment.templateKey, assessment.templateVersion);
  }

  private answers(responses: AssessmentResponse[]): Answers {
    return new Map(responses.map((response) => [response.indicatorKey, response.level]));
  }

  private summary(assessment: Assessment, answered: number): AssessmentSummary {
    return {
      id: assessment.id,
      programmeId: assessment.programmeId,
      templateKey: assessment.templateKey,
      templateVersion: assessment.templateVersion,
      kind: assessment.kind,
      status: assessment.status,
      answered,
      total: indicatorCount(this.template(assessment)),
      score: assessment.overallScore,
      band: assessment.band,
      createdAt: assessment.createdAt,
      submittedAt: assessment.submittedAt,
      validatedAt: assessment.validatedAt,
      returnNote: assessment.returnNote,
    };
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    assessment: Assessment,
    countryCode: string,
    before: object | null,
    after: object,
  ): Promise<void> {
    await this.audit.record(manager, {
      actorId: actor.user.id,
      action,
      entityType: 'assessment',
      entityId: assessment.id,
      countryCode,
      before,
      after,
      requestId: actor.requestId,
    });
  }
}
