import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../auth/access-policy.js';
import { CountriesService } from '../countries/countries.service.js';
import type { Actor } from '../auth/roles.js';
import { AssessmentTrendService } from '../assessments/assessment-trend.service.js';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { ASSESSMENT_KINDS } from '../assessments/template.types.js';
import { type TemplateTexts, templateTexts } from '../assessments/template-texts.js';
import { TemplatesService, compareVersions } from '../assessments/templates.service.js';
import type { Locale, Text } from '../messages/locales.js';
import { milestoneTitle } from '../milestones/milestone-title.js';
import { notFound } from '../common/domain-error.js';
import { PageQuery } from '../common/pagination.js';
import { MilestonesQuery } from '../milestones/dto/milestone.dto.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { ProgrammeHistoryQuery } from '../programmes/programme-history.query.js';
import { PHASES, type Phase } from '../programmes/programme.constants.js';
import { ProgrammesQuery } from '../programmes/dto/programme.dto.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { TransitionsService } from '../programmes/transitions.service.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import { StatusUpdatesService } from '../status-updates/status-updates.service.js';
import type { AssessmentSummaryResponse } from '../assessments/dto/assessment.dto.js';
import type { GateCheck } from '../programmes/gates.js';
import { trendView } from './assessment-trend-view.js';
import { renderBarChart } from './bar-chart.js';
import { gateCheckText } from './gate-check-text.js';
import { type DocumentKind, PHASE_DELIVERABLES } from '../documents/document.constants.js';
import type { DocumentSummary } from '../documents/dto/document.dto.js';
import { DocumentsService } from '../documents/documents.service.js';
import { type Translate, translator } from './i18n.js';
import { ProgrammeHistoryPageQuery } from './programme-history-page.query.js';
import { historyEntries } from './programme-history-view.js';

const firstPage = (pageSize: number) => ({ page: 1, pageSize });

/** The workspace's groups of documents: each phase's deliverable in phase order, then the rest. */
const DOCUMENT_GROUPS: { phase: Phase | null; kind: DocumentKind }[] = [
  ...PHASES.flatMap((phase) => {
    const kind = PHASE_DELIVERABLES[phase];
    return kind ? [{ phase, kind }] : [];
  }),
  { phase: null, kind: 'other' },
];

/** Where on the pages a gate check is met: the questionnaire, the milestones, the stakeholders. */
function whereToMeet(
  check: GateCheck,
  assessments: AssessmentSummaryResponse[],
  t: Translate,
): { href: string; label: string } | null {
  switch (check.key) {
    case 'readiness_assessment_validated':
    case 'maturity_assessment_validated': {
      const kind = check.key === 'readiness_assessment_validated' ? 'readiness' : 'maturity';
      // The newest of its kind: the one being worked on.
      const assessment = assessments.find((candidate) => candidate.kind === kind);
      if (!assessment) return null;
      return {
        href: `/app/assessments/${assessment.id}`,
        label: t('openQuestionnaire', {
          status: t(`assessmentStatus.${assessment.status}`),
          answered: assessment.answered,
          total: assessment.total,
        }),
      };
    }
    case 'phase_milestones_closed':
      return { href: '#milestones-title', label: t('seeMilestones') };
    case 'focal_point_present':
    case 'host_approver_present':
      return { href: '#stakeholders-title', label: t('seeStakeholders') };
    case 'assessment_report_uploaded':
    case 'design_document_uploaded':
    case 'operational_acceptance_uploaded':
      return { href: `#upload-${check.params?.kind}`, label: t('uploadTheDocument') };
  }
}

/** The titles of a template's areas and indicators, by key, in the reader's language. */
function titlesByKey(texts: TemplateTexts): Map<string, Text> {
  return new Map([
    ...texts.areas.map((area): [string, Text] => [area.key, area.title]),
    ...texts.areas.flatMap((area) =>
      area.indicators.map((indicator): [string, Text] => [indicator.key, indicator.title]),
    ),
  ]);
}

/**
 * The country workspace's view model: one programme of the country with what this user may read
 * of it, and the actions they may take, all asked of the access policy. What a role may not read
 * is not even fetched, so the page cannot show it.
 */
@Injectable()
export class CountryPageService {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly programmes: ProgrammesService,
    private readonly transitions: TransitionsService,
    private readonly history: ProgrammeHistoryQuery,
    private readonly milestones: MilestonesService,
    private readonly statusUpdates: StatusUpdatesService,
    private readonly stakeholders: StakeholdersService,
    private readonly assessments: AssessmentsService,
    private readonly templates: TemplatesService,
    private readonly countries: CountriesService,
    private readonly trends: AssessmentTrendService,
    private readonly historyPage: ProgrammeHistoryPageQuery,
    private readonly documents: DocumentsService,
  ) {}

  /** A form's address names the programme and its country: both must agree, or it is not found. */
  async assertProgrammeOf(actor: Actor, code: string, programmeId: string) {
    const programme = await this.programmes.get(actor.user, programmeId);
    if (programme.countryCode !== code) throw notFound(`Programme ${programmeId} of ${code}`);
    return programme;
  }

  async view(actor: Actor, code: string, programmeId: string | undefined, lang: Locale) {
    const t = translator(lang);
    if (!/^[A-Z]{2}$/.test(code)) throw notFound(`Country ${code}`);
    const list = await this.programmes.list(
      actor,
      Object.assign(new ProgrammesQuery(), { country: code, ...firstPage(50) }),
    );
    if (list.items.length === 0) throw notFound(`Country ${code}`);
    const chosen =
      list.items.find((item) => item.id === programmeId) ??
      list.items.find((item) => item.cirtType === 'national') ??
      list.items[0];
    const id = chosen.id;
    const reads = {
      milestones: this.policy.mayRead(actor.user, 'milestones'),
      statusUpdates: this.policy.mayRead(actor.user, 'statusUpdates'),
      stakeholders: this.policy.mayRead(actor.user, 'stakeholders'),
      history: this.policy.mayRead(actor.user, 'audit'),
    };
    const [
      programme,
      country,
      transitions,
      phases,
      milestones,
      updates,
      stakeholders,
      assessments,
      gate,
      decisions,
      changes,
      trends,
      documents,
    ] = await Promise.all([
      this.programmes.get(actor.user, id),
      this.countries.getCountry(code, lang),
      this.transitions.list(actor, id),
      this.history.phases(actor, id),
      reads.milestones
        ? this.milestones.list(actor, id, Object.assign(new MilestonesQuery(), firstPage(200)))
        : null,
      reads.statusUpdates
        ? this.statusUpdates.list(actor, id, Object.assign(new PageQuery(), firstPage(20)))
        : null,
      reads.stakeholders ? this.stakeholders.list(actor, code) : null,
      this.assessments.listForProgramme(actor, id),
      // Its checks name the open milestones: only for those who may read them.
      reads.milestones ? this.transitions.currentGate(actor, id) : null,
      this.historyPage.decisions(id),
      reads.history ? this.historyPage.changes(id) : null,
      Promise.all(ASSESSMENT_KINDS.map((kind) => this.trends.trend(actor, id, kind))),
      this.documents.list(actor, id),
    ]);
    const latestValidated = assessments.find((assessment) => assessment.status === 'validated');
    const score = latestValidated ? await this.assessments.score(actor, latestValidated.id) : null;
    const textsOf = (assessment: { templateKey: string; templateVersion: string }) =>
      templateTexts(this.templates.get(assessment.templateKey, assessment.templateVersion), lang);
    const scoredTitles = latestValidated ? titlesByKey(textsOf(latestValidated)) : new Map();
    const writes = this.policy.canWrite(actor.user, {
      code: programme.countryCode,
      regionCode: programme.regionCode,
    });
    // A cancelled programme is kept for the record: nothing of it changes any more.
    const open = writes && programme.status !== 'cancelled';
    const manages = this.policy.mayDo(actor.user, 'manageProgrammes');
    return {
      title: programme.title,
      rawTitle: true,
      country,
      programmes: list.items,
      programme,
      may: {
        // A programme on hold does not move forward: it is resumed first.
        requestTransition:
          open &&
          programme.status === 'active' &&
          this.policy.mayDo(actor.user, 'requestTransitions'),
        updateMilestones: open && this.policy.mayDo(actor.user, 'writeMilestones'),
        postStatusUpdate: open && this.policy.mayDo(actor.user, 'postStatusUpdates'),
        /** Edit, hold, resume and cancel the programme. */
        manageProgramme: open && manages,
        createProgramme: manages,
        startAssessment: open && this.policy.mayDo(actor.user, 'answerAssessments'),
        writeStakeholders: writes && this.policy.mayDo(actor.user, 'writeStakeholders'),
        uploadDocuments: open && this.policy.mayDo(actor.user, 'uploadDocuments'),
        deleteDocuments: writes && this.policy.mayDo(actor.user, 'deleteDocuments'),
      },
      transitions: transitions.map((transition) => ({
        ...transition,
        gateTexts: (transition.gate?.checks ?? []).map((check) => ({
          passed: check.passed,
          text: gateCheckText(check, lang, t),
        })),
      })),
      /** What the current phase's gate asks before the move to the next phase, check by check. */
      gate: gate && {
        passed: gate.passed,
        checks: gate.checks.map((check) => ({
          passed: check.passed,
          text: gateCheckText(check, lang, t, country.name),
          where: whereToMeet(check, assessments, t),
        })),
      },
      /** Each phase's deliverable, then the other documents, each with what is uploaded. */
      documents: DOCUMENT_GROUPS.map(({ phase, kind }) => ({
        phase,
        kind,
        items: (documents as DocumentSummary[]).filter((document) => document.kind === kind),
        // What the gate asks for and is not there yet: its form is open, for the link to land on.
        missing: gate?.checks.some((check) => !check.passed && check.params?.kind === kind),
      })),
      phaseHistory: phases,
      history: historyEntries(decisions, changes, t, lang),
      trends: trends.flatMap((trend) => {
        const shown = trendView(
          trend,
          (key, v) => this.templates.get(key, v),
          lang,
          country.timezone,
          t,
        );
        return shown ? [shown] : [];
      }),
      templateChoices: this.templateChoices(lang),
      milestones:
        milestones?.items.map((milestone) => ({
          ...milestone,
          titleText: milestoneTitle(milestone, lang),
        })) ?? null,
      updates: updates?.items ?? null,
      stakeholders,
      assessments: assessments.map((assessment) => ({
        ...assessment,
        templateTitle: textsOf(assessment).title,
      })),
      score: score && {
        ...score,
        areas: score.areas.map((area) => ({ ...area, titleText: scoredTitles.get(area.key)! })),
        gaps: score.gaps?.map((gap) => ({
          ...gap,
          titleText: scoredTitles.get(gap.indicatorKey)!,
        })),
      },
      scoreChart:
        score?.areas &&
        renderBarChart({
          title: t('scoresPerArea'),
          // An area whose every indicator does not apply has no score, and no bar.
          bars: score.areas.flatMap((area) =>
            area.score === null ? [] : [{ label: scoredTitles.get(area.key)!, value: area.score }],
          ),
          locale: lang,
          max: 100,
        }),
      phases: PHASES,
    };
  }

  /** The published templates to start an assessment with: each by its newest title, and versions. */
  private templateChoices(lang: Locale) {
    const published = this.templates.list();
    // Sorted by key, then version: the last of each key is its newest.
    const newest = new Map(published.map((template) => [template.key, template]));
    return {
      templates: [...newest.values()].map((template) => ({
        key: template.key,
        kind: template.kind,
        version: template.version,
        title: templateTexts(template, lang).title,
      })),
      versions: [...new Set(published.map((template) => template.version))].sort((a, b) =>
        compareVersions(b, a),
      ),
    };
  }
}
