import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { Body } from '../common/body.decorator.js';
import { DomainError } from '../common/domain-error.js';
import { CountriesService } from '../countries/countries.service.js';
import { CreateProgrammeDto } from '../programmes/dto/programme.dto.js';
import { CIRT_TYPES } from '../programmes/programme.constants.js';
import { ProgrammeErrors } from '../programmes/programme.errors.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

const NEW_PROGRAMME = '/app/programmes/new';

/** Starting a programme: for those who may create one, as the API's POST /programmes. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/programmes')
export class ProgrammePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly programmes: ProgrammesService,
    private readonly countries: CountriesService,
  ) {}

  /** `?country=KE` chooses the country first (from a country's workspace); anything else, none. */
  @Get('new')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  async newProgrammePage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('country') country?: unknown,
  ): Promise<void> {
    const { view, data } = await this.newProgramme(actor, request, country);
    await this.pages.render(request, reply, view, data, actor.user);
  }

  /** Made, the programme's workspace; refused (a programme of that kind exists), this form again. */
  @Post('new')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  async createProgramme(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<void> {
    let workspace: string | undefined;
    await this.forms.submit(request, reply, actor, body, {
      id: 'programme-new',
      dto: CreateProgrammeDto,
      action: async (input) => {
        const programme = await this.programmes
          .create(actor, input)
          .catch(async (error: unknown) => {
            throw await this.inWords(error, request, actor);
          });
        workspace = `/app/countries/${programme.countryCode}?programme=${programme.id}`;
        return programme;
      },
      done: 'done.programmeCreated',
      // Read once the programme is made: its workspace; refused, this form.
      get back() {
        return workspace ?? NEW_PROGRAMME;
      },
      page: () => this.newProgramme(actor, request),
    });
  }

  /** The refusal of a duplicate names the country and the kind of CIRT in the page's words. */
  private async inWords(error: unknown, request: FastifyRequest, actor: Actor): Promise<unknown> {
    if (!(error instanceof DomainError) || error.entry !== ProgrammeErrors.programme_exists) {
      return error;
    }
    const lang = this.pages.language(request, actor.user);
    const { country, cirtType } = error.params;
    const name = await this.countries.getCountry(String(country), lang);
    return new DomainError(error.entry, {
      ...error.params,
      country: name.name,
      cirtType: translator(lang)(`cirtType.${String(cirtType)}`),
    });
  }

  private async newProgramme(actor: Actor, request: FastifyRequest, country?: unknown) {
    const lang = this.pages.language(request, actor.user);
    const collator = new Intl.Collator(lang);
    const countries = (await this.countries.listCountries(lang))
      .map(({ code, name }) => ({ code, name }))
      .sort((a, b) => collator.compare(a.name, b.name));
    return {
      view: 'programme-new',
      data: {
        title: 'newProgramme.title',
        countries,
        chosenCountry: countries.some((candidate) => candidate.code === country) ? country : '',
        cirtTypes: CIRT_TYPES,
      },
    };
  }
}
