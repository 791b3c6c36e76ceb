import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { AssessmentsService, missingAnswers } from '../assessments/assessments.service.js';
import { templateTexts } from '../assessments/template-texts.js';
import { TemplatesService } from '../assessments/templates.service.js';
import type { Locale } from '../messages/locales.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import type { DocumentSummary } from '../documents/dto/document.dto.js';
import { DocumentsService } from '../documents/documents.service.js';

/** The questionnaire page's view model: the assessment, what is missing, and who may do what. */
@Injectable()
export class AssessmentPageService {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly assessments: AssessmentsService,
    private readonly programmes: ProgrammesService,
    private readonly templates: TemplatesService,
    private readonly documents: DocumentsService,
  ) {}

  /**
   * `open` is the area a link asked to open, or an indicator whose area to open (`?open=A#indicator-A3`,
   * so that the "still missing" links reach a closed area without JavaScript); otherwise the first
   * area with an unanswered indicator is open.
   */
  async view(actor: Actor, id: string, lang: Locale, open?: string) {
    const assessment = await this.assessments.get(actor, id);
    const programme = await this.programmes.get(actor.user, assessment.programmeId);
    const template = this.templates.get(assessment.templateKey, assessment.templateVersion);
    const writes = this.policy.canWrite(actor.user, {
      code: programme.countryCode,
      regionCode: programme.regionCode,
    });
    const texts = templateTexts(template, lang);
    const responses = 'responses' in assessment ? assessment.responses : [];
    // What an answer may cite besides links: the programme's documents, for those who read answers.
    const documents =
      'responses' in assessment
        ? ((await this.documents.list(actor, programme.id)) as DocumentSummary[])
        : [];
    const answered = new Set(responses.map((response) => response.indicatorKey));
    const areas = texts.areas.map((area) => ({
      ...area,
      answered: area.indicators.filter((indicator) => answered.has(indicator.key)).length,
    }));
    const opened = (
      areas.find((area) => area.key === open) ??
      areas.find((area) => area.indicators.some((indicator) => indicator.key === open)) ??
      areas.find((area) => area.answered < area.indicators.length)
    )?.key;
    const indicators = new Map(
      areas.flatMap((area) =>
        area.indicators.map((indicator) => [
          indicator.key,
          { area: area.key, title: indicator.title },
        ]),
      ),
    );
    return {
      title: texts.title.text,
      rawTitle: true,
      assessment,
      programme,
      documents,
      template: texts,
      areas: areas.map((area) => ({ ...area, open: area.key === opened })),
      missing: ('responses' in assessment ? missingAnswers(template, responses) : []).map(
        (item) => ({ ...item, ...indicators.get(item.key)! }),
      ),
      may: {
        /** Answer and submit: a draft or returned assessment, by those who write the country. */
        editAnswers:
          writes &&
          this.policy.mayDo(actor.user, 'answerAssessments') &&
          ['draft', 'returned'].includes(assessment.status),
        /** Validate or return a submitted assessment. */
        review:
          this.policy.mayDo(actor.user, 'reviewAssessments') && assessment.status === 'submitted',
      },
    };
  }
}
