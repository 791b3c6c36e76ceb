import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/roles.js';
import { ProgrammeAccess } from '../programmes/programme-access.service.js';
import { AssessmentsRepository } from './assessments.repository.js';
import { AssessmentsService } from './assessments.service.js';
import { carryAnswersForward, scoreAssessment, type Band } from './scoring.js';
import type { AssessmentKind } from './template.types.js';
import { TemplatesService, compareVersions } from './templates.service.js';

export interface TrendPoint {
  assessmentId: string;
  templateVersion: string;
  validatedAt: Date;
  overall: number | null;
  band: Band | null;
  areas: { key: string; score: number | null }[];
}

export interface Trend {
  kind: AssessmentKind;
  templateKey: string | null;
  /** The version whose areas every point is expressed in: the newest of the template. */
  templateVersion: string | null;
  areas: { key: string; title: string }[];
  points: TrendPoint[];
}

/**
 * Area scores of a programme's validated assessments over time. Assessments answered on older
 * versions of the template are carried forward version by version through each version's
 * indicator mapping, then scored with the newest version, so every point speaks of the same areas.
 */
@Injectable()
export class AssessmentTrendService {
  constructor(
    private readonly repository: AssessmentsRepository,
    private readonly programmes: ProgrammeAccess,
    private readonly assessments: AssessmentsService,
    private readonly templates: TemplatesService,
  ) {}

  async trend(actor: Actor, programmeId: string, kind: AssessmentKind): Promise<Trend> {
    await this.programmes.forRead(actor.user, programmeId);
    const validated = await this.repository.listValidated(programmeId, kind);
    if (validated.length === 0)
      return { kind, templateKey: null, templateVersion: null, areas: [], points: [] };

    const templateKey = validated.at(-1)!.templateKey;
    const target = this.templates.get(templateKey);
    const lineage = this.templates.lineage(templateKey, target.version);
    const points: TrendPoint[] = [];
    for (const assessment of validated.filter((a) => a.templateKey === templateKey)) {
      let answers = await this.assessments.answersOf(assessment.id);
      for (const next of lineage.filter(
        (version) => compareVersions(version.version, assessment.templateVersion) > 0,
      )) {
        answers = carryAnswersForward(next, answers);
      }
      const score = scoreAssessment(target, answers);
      points.push({
        assessmentId: assessment.id,
        templateVersion: assessment.templateVersion,
        validatedAt: assessment.validatedAt,
        overall: score.overall,
        band: score.band,
        areas: score.areas.map(({ key, score: areaScore }) => ({ key, score: areaScore })),
      });
    }
    return {
      kind,
      templateKey,
      templateVersion: target.version,
      areas: target.areas.map(({ key, title }) => ({ key, title })),
      points,
    };
  }
}
