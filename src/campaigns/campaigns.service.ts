import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AssessmentErrors, AssessmentFieldErrors } from '../assessments/assessment.errors.js';
import { AssessmentsService } from '../assessments/assessments.service.js';
import type { AssessmentTemplate } from '../assessments/template.types.js';
import { TemplatesService } from '../assessments/templates.service.js';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Actor, Principal } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { localDate } from '../common/dates.js';
import {
  DomainError,
  type FieldError,
  fieldError,
  notFound,
  validationFailed,
} from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import type { Locale } from '../messages/locales.js';
import type { CirtType } from '../programmes/programme.constants.js';
import type { SkipReason } from './campaign.constants.js';
import { CampaignErrors, CampaignFieldErrors } from './campaign.errors.js';
import { type ScopeProgramme, CampaignsQuery } from './campaigns.query.js';
import { type CampaignRow, CampaignsRepository } from './campaigns.repository.js';
import type {
  CampaignDetail,
  CampaignListQuery,
  CampaignPlan,
  CampaignSummary,
  LaunchCampaignDto,
  LaunchedCampaign,
  PlannedProgramme,
} from './dto/campaign.dto.js';

/** Where a campaign reaches: a region, listed countries, or (neither) everywhere. */
type CampaignScope = { regionCode: string | null; countryCodes: string[] | null };

/** A launch's checked input: the template it pins and the scope it covers. */
interface CheckedLaunch {
  template: AssessmentTemplate;
  scope: { regionCode: string | null; countryCodes: string[] | null; cirtType: CirtType | null };
}

/** Why a programme of the scope gets no draft; none: it gets one. */
function skipReason(programme: ScopeProgramme): SkipReason | undefined {
  if (programme.status === 'cancelled') return 'programme_cancelled';
  if (programme.status === 'on_hold') return 'programme_on_hold';
  if (programme.hasOpenAssessment) return 'open_assessment_exists';
  return undefined;
}

function plan(programmes: ScopeProgramme[]): CampaignPlan {
  const planned: PlannedProgramme[] = programmes.map((programme) => ({
    programmeId: programme.programmeId,
    programmeTitle: programme.programmeTitle,
    countryCode: programme.countryCode,
    countryName: programme.countryName,
    regionCode: programme.regionCode,
    reason: skipReason(programme),
  }));
  return {
    reached: planned.filter((programme) => !programme.reason),
    skipped: planned.filter((programme) => programme.reason),
  };
}

/**
 * Assessment campaigns (docs/domain.md §"Assessment campaigns"): one questionnaire put to every
 * active programme of a scope at once, with a due date. A launch writes the campaign, one draft
 * per programme reached (through the assessments module) and the audit events in one transaction;
 * a launch that would reach no programme writes nothing. The ITU launches anywhere, a coordinator
 * in their own region.
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: CampaignsRepository,
    private readonly query: CampaignsQuery,
    private readonly assessments: AssessmentsService,
    private readonly templates: TemplatesService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** What a launch would do, written nowhere: the launch page's preview. */
  async preview(actor: Actor, dto: LaunchCampaignDto, lang: Locale): Promise<CampaignPlan> {
    const launch = await this.check(actor.user, dto);
    const programmes = await this.query.scopeProgrammes(launch.scope, launch.template.key, lang);
    if (programmes.length === 0) throw new DomainError(CampaignErrors.campaign_no_programmes);
    return plan(programmes);
  }

  async launch(actor: Actor, dto: LaunchCampaignDto): Promise<LaunchedCampaign> {
    const { template, scope } = await this.check(actor.user, dto);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const programmes = await this.query.scopeProgrammes(scope, template.key, 'en', manager);
        if (programmes.length === 0) throw new DomainError(CampaignErrors.campaign_no_programmes);
        const { reached, skipped } = plan(programmes);
        if (reached.length === 0) {
          throw new DomainError(CampaignErrors.campaign_nothing_to_launch, {
            count: skipped.length,
          });
        }
        const campaign = await this.repository.insert(
          {
            title: dto.title,
            templateKey: template.key,
            templateVersion: template.version,
            ...scope,
            dueDate: dto.dueDate,
            createdBy: actor.user.id,
            createdAt: this.clock.now(),
          },
          manager,
        );
        for (const programme of reached) {
          await this.assessments.createForCampaign(manager, actor, {
            programmeId: programme.programmeId,
            countryCode: programme.countryCode,
            template,
            campaignId: campaign.id,
          });
        }
        const launched: LaunchedCampaign = {
          id: campaign.id,
          created: reached.length,
          skipped: skipped.map(({ countryCode, programmeId, reason }) => ({
            countryCode,
            programmeId,
            reason: reason!,
          })),
        };
        await this.record(manager, actor, 'campaign.launched', campaign.id, null, {
          ...campaign,
          created: launched.created,
          skipped: launched.skipped,
        });
        return launched;
      });
    } catch (error) {
      // A draft of the template started meanwhile for one of the programmes: nothing was written.
      if (isUniqueViolation(error)) {
        throw new DomainError(AssessmentErrors.assessment_open, { templateKey: template.key });
      }
      throw error;
    }
  }

  list(actor: Actor, query: CampaignListQuery): Promise<Page<CampaignSummary>> {
    return this.query.list(actor.user, query);
  }

  async get(actor: Actor, id: string, lang: Locale = 'en'): Promise<CampaignDetail> {
    const campaign = await this.query.find(actor.user, id);
    if (!campaign) throw notFound(`Campaign ${id}`);
    const { overall, regions } = await this.query.progress(actor.user, id);
    return {
      ...campaign,
      progress: overall,
      regions,
      laggards: await this.query.laggards(actor.user, id, lang),
    };
  }

  /** Closing stops the reminders; the drafts stay as they are. A closed campaign answers 409. */
  async close(actor: Actor, id: string): Promise<CampaignSummary> {
    const closed = await this.dataSource.transaction(async (manager) => {
      const visible = await this.query.find(actor.user, id);
      const campaign = visible && (await this.repository.findForUpdate(id, manager));
      if (!campaign) throw notFound(`Campaign ${id}`);
      await this.assertMayManage(actor.user, campaign);
      if (campaign.status === 'closed') {
        throw new DomainError(CampaignErrors.campaign_closed, { title: campaign.title });
      }
      const after = await this.repository.close(id, actor.user.id, this.clock.now(), manager);
      await this.record(manager, actor, 'campaign.closed', id, campaign, after);
      return after;
    });
    const { overall } = await this.query.progress(actor.user, id);
    return { ...closed, progress: overall };
  }

  /**
   * The template and scope of a launch, or the refusal: bad input (400) before rights, as the
   * validation pipe does. Unknown countries are bad input; a coordinator's scope must lie in
   * their region (403).
   */
  private async check(user: Principal, dto: LaunchCampaignDto): Promise<CheckedLaunch> {
    const problems: FieldError[] = [];
    if (dto.regionCode && dto.countryCodes) {
      problems.push(fieldError('countryCodes', CampaignFieldErrors.campaign_region_or_countries));
    }
    const today = localDate(this.clock.now(), 'UTC');
    if (dto.dueDate < today) {
      problems.push(fieldError('dueDate', CampaignFieldErrors.campaign_due_date_past, { today }));
    }
    let template: AssessmentTemplate | undefined;
    try {
      template = this.templates.get(dto.templateKey, dto.templateVersion);
    } catch {
      problems.push(
        fieldError('templateKey', AssessmentFieldErrors.template_not_published, {
          key: dto.templateKey,
          hasVersion: dto.templateVersion ? 'yes' : 'no',
          version: dto.templateVersion,
        }),
      );
    }
    const countries = dto.countryCodes ? await this.query.countries(dto.countryCodes) : [];
    const unknown = (dto.countryCodes ?? []).filter(
      (code) => !countries.some((country) => country.code === code),
    );
    if (unknown.length > 0) {
      problems.push(
        fieldError('countryCodes', CampaignFieldErrors.campaign_countries_unknown, {
          codes: unknown.join(', '),
        }),
      );
    }
    if (problems.length > 0) throw validationFailed(problems);

    const readScope = this.policy.readScope(user);
    const ownRegion = readScope.kind === 'region' ? readScope.regionCode : null;
    const regionCode = dto.regionCode ?? (dto.countryCodes ? null : ownRegion);
    if (ownRegion) {
      const outside =
        (regionCode !== null && regionCode !== ownRegion) ||
        countries.some((country) => country.regionCode !== ownRegion);
      if (outside)
        throw new DomainError(CampaignErrors.campaign_outside_region, { region: ownRegion });
    }
    return {
      template: template!,
      scope: { regionCode, countryCodes: dto.countryCodes ?? null, cirtType: dto.cirtType ?? null },
    };
  }

  /** Whether the user may close the campaign now: the page offers only what the API allows. */
  async mayClose(user: Principal, campaign: CampaignScope & { status: string }): Promise<boolean> {
    return (
      campaign.status === 'open' &&
      this.policy.mayDo(user, 'launchCampaigns') &&
      (await this.manages(user, campaign))
    );
  }

  private async assertMayManage(user: Principal, campaign: CampaignRow): Promise<void> {
    if (!(await this.manages(user, campaign))) {
      const readScope = this.policy.readScope(user);
      throw new DomainError(CampaignErrors.campaign_outside_region, {
        region: readScope.kind === 'region' ? readScope.regionCode : '',
      });
    }
  }

  /** The ITU manages any campaign; a coordinator those that lie in their region. */
  private async manages(user: Principal, campaign: CampaignScope): Promise<boolean> {
    const readScope = this.policy.readScope(user);
    if (readScope.kind === 'all') return true;
    if (readScope.kind !== 'region') return false;
    if (!campaign.countryCodes) return campaign.regionCode === readScope.regionCode;
    const countries = await this.query.countries(campaign.countryCodes);
    return countries.every((country) => country.regionCode === readScope.regionCode);
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: 'campaign.launched' | 'campaign.closed',
    id: string,
    before: object | null,
    after: object,
  ): Promise<void> {
    await this.audit.record(manager, {
      actorId: actor.user.id,
      action,
      entityType: 'assessment_campaign',
      entityId: id,
      before,
      after,
      requestId: actor.requestId,
    });
  }
}
