import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor } from '../auth/roles.js';
import { AssessmentsService, missingAnswers } from '../assessments/assessments.service.js';
import { templateTexts } from '../assessments/template-texts.js';
import { TemplatesService } from '../assessments/templates.service.js';
import type { Locale } from '../messages/locales.js';
import { ProgrammesService } from '../programmes/programmes.service.js';

/** The questionnaire page's view model: the assessment, what is missing, and who may do what. */
@Injectable()
export class AssessmentPageService {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly assessments: AssessmentsService,
    private readonly programmes: ProgrammesService,
    private readonly templates: TemplatesService,
  ) {}

  async view(actor: Actor, id: string, lang: Locale) {
    const assessment = await this.assessments.get(actor, id);
    const programme = await this.programmes.get(actor.user, assessment.programmeId);
    const template = this.templates.get(assessment.templateKey, assessment.templateVersion);
    const writes = this.policy.canWrite(actor.user, {
      code: programme.countryCode,
      regionCode: programme.regionCode,
    });
    const texts = templateTexts(template, lang);
    const indicatorTitles = new Map(
      texts.areas.flatMap((area) =>
        area.indicators.map((indicator) => [indicator.key, indicator.title]),
      ),
    );
    return {
      title: texts.title.text,
      rawTitle: true,
      assessment,
      programme,
      template: texts,
      missing: ('responses' in assessment
        ? missingAnswers(template, assessment.responses)
        : []
      ).map((item) => ({ ...item, title: indicatorTitles.get(item.key)! })),
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
