import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Assessment, AssessmentResponse } from './assessment.entity.js';
import type { AssessmentKind, AssessmentTemplate } from './template.types.js';

/** A validated assessment, as the trend of a programme reads it. */
export interface ValidatedAssessment {
  id: string;
  templateKey: string;
  templateVersion: string;
  validatedAt: Date;
}

/** The SQL of assessments, their answers (assessment_responses) and the published templates. */
@Injectable()
export class AssessmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // --- Assessments ---

  insertAssessment(
    assessment: Pick<
      Assessment,
      'programmeId' | 'templateKey' | 'templateVersion' | 'kind' | 'createdBy'
    > &
      Partial<Pick<Assessment, 'campaignId'>>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Assessment> {
    return manager.save(manager.create(Assessment, assessment));
  }

  findById(id: string): Promise<Assessment | null> {
    return this.dataSource.getRepository(Assessment).findOne({ where: { id } });
  }

  /** The assessment, locked until the caller's transaction ends. */
  findByIdForUpdate(id: string, manager: EntityManager): Promise<Assessment | null> {
    return manager
      .getRepository(Assessment)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A programme's assessments, newest first. */
  listForProgramme(programmeId: string): Promise<Assessment[]> {
    return this.dataSource
      .getRepository(Assessment)
      .find({ where: { programmeId }, order: { createdAt: 'DESC' } });
  }

  /** Writes the changes made to a loaded assessment. */
  saveAssessment(
    assessment: Assessment,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Assessment> {
    return manager.save(assessment);
  }

  async touchAssessment(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(Assessment, { id }, { updatedAt: at });
  }

  /** Drops a deleted document from the evidence that the programme's answers cite. */
  async uncite(documentId: string, programmeId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE assessment_responses r SET evidence_documents = array_remove(r.evidence_documents, $1)
       FROM assessments a
       WHERE a.id = r.assessment_id AND a.programme_id = $2 AND $1 = ANY(r.evidence_documents)`,
      [documentId, programmeId],
    );
  }

  /** Whether the programme has a validated assessment of this kind, validated at or after `since`. */
  async hasValidated(
    programmeId: string,
    kind: AssessmentKind,
    since: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT 1 FROM assessments
       WHERE programme_id = $1 AND kind = $2 AND status = 'validated' AND validated_at >= $3 LIMIT 1`,
      [programmeId, kind, since],
    );
    return row !== undefined;
  }

  /** A programme's validated assessments of a kind, oldest validation first. */
  listValidated(programmeId: string, kind: AssessmentKind): Promise<ValidatedAssessment[]> {
    return this.dataSource.query(
      `SELECT id, template_key AS "templateKey", template_version AS "templateVersion", validated_at AS "validatedAt"
         FROM assessments WHERE programme_id = $1 AND kind = $2 AND status = 'validated'
         ORDER BY validated_at`,
      [programmeId, kind],
    );
  }

  // --- Answers (assessment_responses) ---

  findResponse(
    assessmentId: string,
    indicatorKey: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AssessmentResponse | null> {
    return manager
      .getRepository(AssessmentResponse)
      .findOne({ where: { assessmentId, indicatorKey } });
  }

  /** Inserts or replaces the answer to an indicator. */
  saveResponse(
    response: Omit<AssessmentResponse, 'updatedAt'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AssessmentResponse> {
    return manager.getRepository(AssessmentResponse).save(response);
  }

  /** The answers of an assessment, in no particular order. */
  listResponses(
    assessmentId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AssessmentResponse[]> {
    return manager.getRepository(AssessmentResponse).find({ where: { assessmentId } });
  }

  /** The answers of an assessment, by indicator key. */
  listResponsesByIndicator(assessmentId: string): Promise<AssessmentResponse[]> {
    return this.dataSource
      .getRepository(AssessmentResponse)
      .find({ where: { assessmentId }, order: { indicatorKey: 'ASC' } });
  }

  /** How many indicators each of the assessments has answered; those with none are left out. */
  countAnswersByAssessment(assessmentIds: string[]): Promise<{ id: string; answered: number }[]> {
    return this.dataSource.query(
      `SELECT assessment_id AS id, count(*)::int AS answered FROM assessment_responses
       WHERE assessment_id = ANY($1) GROUP BY assessment_id`,
      [assessmentIds],
    );
  }

  async countAnswers(assessmentId: string, manager: EntityManager): Promise<number> {
    const [{ answered }] = await manager.query(
      'SELECT count(*)::int AS answered FROM assessment_responses WHERE assessment_id = $1',
      [assessmentId],
    );
    return answered;
  }

  // --- Published templates (assessment_templates) ---

  /** Publishes a template version unless it is already; true when this call published it. */
  async insertTemplateUnlessPublished(
    content: AssessmentTemplate,
    contentHash: string,
  ): Promise<boolean> {
    const inserted = await this.dataSource.query(
      `INSERT INTO assessment_templates (key, version, kind, title, content, content_hash, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key, version) DO NOTHING RETURNING key`,
      [
        content.key,
        content.version,
        content.kind,
        content.title,
        content,
        contentHash,
        content.publishedAt,
      ],
    );
    return inserted.length > 0;
  }

  /** The content hash of a published template version. */
  async findTemplateHash(key: string, version: string): Promise<string | undefined> {
    const [stored] = await this.dataSource.query(
      'SELECT content_hash FROM assessment_templates WHERE key = $1 AND version = $2',
      [key, version],
    );
    return stored?.content_hash;
  }

  /** Replaces a published version's translations and level guidance; true when they changed. */
  async replaceTemplateGuidance(
    key: string,
    version: string,
    guidance: Pick<Required<AssessmentTemplate>, 'translations' | 'scaleMeanings'>,
  ): Promise<boolean> {
    const updated = await this.dataSource.query(
      `UPDATE assessment_templates SET content = content || $3::jsonb
       WHERE key = $1 AND version = $2
         AND (content->'translations', content->'scaleMeanings')
             IS DISTINCT FROM ($3::jsonb->'translations', $3::jsonb->'scaleMeanings')
       RETURNING key`,
      [key, version, JSON.stringify(guidance)],
    );
    return updated.length > 0;
  }

  async listTemplates(): Promise<AssessmentTemplate[]> {
    const rows: { content: AssessmentTemplate }[] = await this.dataSource.query(
      'SELECT content FROM assessment_templates',
    );
    return rows.map(({ content }) => content);
  }
}
