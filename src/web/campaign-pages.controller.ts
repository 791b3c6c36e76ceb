import {
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TemplatesService } from '../assessments/templates.service.js';
import { ACTION_RIGHTS, AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import {
  type CampaignPlan,
  CampaignListQuery,
  LaunchCampaignDto,
} from '../campaigns/dto/campaign.dto.js';
import { Body } from '../common/body.decorator.js';
import { REGION_CODES } from '../countries/regions.js';
import { CIRT_TYPES } from '../programmes/programme.constants.js';
import { renderBarChart } from './bar-chart.js';
import { translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms, type PageView, pageQuery } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

const PAGE = '/app/campaigns';

/**
 * Assessment campaigns: the list with each campaign's progress, the launch form with its preview
 * (what the launch would reach and skip, written nowhere) and its confirmation, and a campaign's
 * progress per region with the programmes not yet submitted. Those who launch close too.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/campaigns')
export class CampaignPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly campaigns: CampaignsService,
    private readonly templates: TemplatesService,
    private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @Roles(...READ_RIGHTS.campaigns)
  async campaignsPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const query = await pageQuery(rawQuery, CampaignListQuery);
    const { view, data } = await this.listPage(actor, query);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  /** The launch's preview: the same checks as a launch, and what it would do; nothing written. */
  @Post('preview')
  @Roles(...ACTION_RIGHTS.launchCampaigns)
  async preview(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    await this.forms.submit(request, reply, actor, body, {
      id: 'campaign-launch',
      dto: LaunchCampaignDto,
      kinds: { countryCodes: 'list' },
      action: (dto) => this.campaigns.preview(actor, dto, lang),
      back: PAGE,
      page: () => this.listPage(actor, new CampaignListQuery()),
      answer: async (plan: CampaignPlan, input) => {
        const { view, data } = await this.listPage(actor, new CampaignListQuery());
        return { view, data: { ...data, preview: { plan, input } } };
      },
    });
  }

  @Post()
  @Roles(...ACTION_RIGHTS.launchCampaigns)
  async launch(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    await this.forms.submit(request, reply, actor, body, {
      id: 'campaign-launch',
      dto: LaunchCampaignDto,
      kinds: { countryCodes: 'list' },
      action: (dto) => this.campaigns.launch(actor, dto),
      done: 'done.campaignLaunched',
      back: PAGE,
      page: () => this.listPage(actor, new CampaignListQuery()),
    });
  }

  @Get(':id')
  @Roles(...READ_RIGHTS.campaigns)
  async campaignPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    const { view, data } = await this.campaignView(actor, id, lang);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  @Post(':id/close')
  @Roles(...ACTION_RIGHTS.launchCampaigns)
  async close(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    await this.forms.submit(request, reply, actor, undefined, {
      id: 'campaign-close',
      action: () => this.campaigns.close(actor, id),
      done: 'done.campaignClosed',
      back: `${PAGE}/${id}`,
      page: () => this.campaignView(actor, id, lang),
    });
  }

  private async listPage(actor: Actor, query: CampaignListQuery): Promise<PageView> {
    const scope = this.policy.readScope(actor.user);
    const fixedRegion = scope.kind === 'region' ? scope.regionCode : null;
    return {
      view: 'campaigns',
      data: {
        title: 'campaigns.title',
        campaigns: await this.campaigns.list(actor, query),
        launchForm: this.policy.mayDo(actor.user, 'launchCampaigns') && {
          fixedRegion,
          regionChoices: REGION_CODES,
          cirtTypes: CIRT_TYPES,
          templates: [...new Set(this.templates.list().map((template) => template.key))].map(
            (key) => {
              const latest = this.templates.get(key);
              return { key, version: latest.version, title: latest.title };
            },
          ),
        },
      },
    };
  }

  private async campaignView(actor: Actor, id: string, lang: ReturnType<PageRenderer['language']>) {
    const campaign = await this.campaigns.get(actor, id, lang);
    const t = translator(lang);
    return {
      view: 'campaign',
      data: {
        title: 'campaigns.progressTitle',
        campaign,
        chart: renderBarChart({
          title: t('campaigns.chart'),
          heading: { level: 2, id: 'campaign-chart-title' },
          bars: campaign.regions.map((region) => ({
            label: t(`region.${region.regionCode}`),
            value: Math.round((100 * (region.submitted + region.validated)) / region.total),
          })),
          max: 100,
          locale: lang,
        }),
        may: { close: await this.campaigns.mayClose(actor.user, campaign) },
      },
    };
  }
}
