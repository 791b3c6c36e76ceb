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
import { ACTION_RIGHTS, READ_RIGHTS } from '../auth/access-policy.js';
import { Body, ReadsFiles } from '../common/body.decorator.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor } from '../auth/roles.js';
import { CreateAssessmentDto } from '../assessments/dto/assessment.dto.js';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { CommonErrors, ValidationFieldErrors } from '../common/common.errors.js';
import { DomainError, invalidField } from '../common/domain-error.js';
import { CreateMilestoneDto, UpdateMilestoneDto } from '../milestones/dto/milestone.dto.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { UpdateProgrammeDto } from '../programmes/dto/programme.dto.js';
import { RequestTransitionDto } from '../programmes/dto/transition.dto.js';
import type { ProgrammeStatus } from '../programmes/programme.constants.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { TransitionsService } from '../programmes/transitions.service.js';
import { CreateStatusUpdateDto } from '../status-updates/dto/status-update.dto.js';
import { StatusUpdatesService } from '../status-updates/status-updates.service.js';
import { readUploadForm } from '../documents/document-upload.js';
import { DocumentsService } from '../documents/documents.service.js';
import { CountryPageService } from './country-page.service.js';
import { PageErrorFilter } from './page-error.filter.js';
import { type PageForm, PageForms } from './page-forms.js';
import { PageRenderer } from './page-renderer.js';

/**
 * A country's workspace: its programmes, phase, milestones, updates, assessments and people, and
 * the forms by which its team moves the work on.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app/countries')
export class CountryPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly forms: PageForms,
    private readonly country: CountryPageService,
    private readonly transitions: TransitionsService,
    private readonly statusUpdates: StatusUpdatesService,
    private readonly milestones: MilestonesService,
    private readonly programmes: ProgrammesService,
    private readonly assessments: AssessmentsService,
    private readonly documents: DocumentsService,
  ) {}

  @Get(':code')
  @Roles(...READ_RIGHTS.programmes)
  async countryPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Query('programme') programmeId?: string,
  ): Promise<void> {
    const lang = this.pages.language(request, actor.user);
    const view = await this.country.view(actor, code, programmeId, lang);
    await this.pages.render(request, reply, 'country', view, actor.user);
  }

  @Post(':code/programmes/:id/transitions')
  @Roles(...ACTION_RIGHTS.requestTransitions)
  async requestTransition(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, 'transition-request'),
      dto: RequestTransitionDto,
      action: (input) => this.transitions.request(actor, programmeId, input),
      done: 'done.transitionRequested',
    });
  }

  @Post(':code/programmes/:id/status-updates')
  @Roles(...ACTION_RIGHTS.postStatusUpdates)
  async postStatusUpdate(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, 'status-update'),
      dto: CreateStatusUpdateDto,
      action: (input) => this.statusUpdates.create(actor, programmeId, input),
      done: 'done.statusUpdatePosted',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/milestones')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  async addMilestone(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, 'milestone-new'),
      dto: CreateMilestoneDto,
      action: (input) => this.milestones.create(actor, programmeId, input),
      done: 'done.milestoneAdded',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/milestones/:milestoneId')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  async editMilestone(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, `milestone-edit-${milestoneId}`),
      dto: UpdateMilestoneDto,
      kinds: { version: 'number', ownerStakeholderId: 'clearable', description: 'clearable' },
      action: (input) => this.milestones.update(actor, milestoneId, input),
      done: 'done.milestoneSaved',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/milestones/:milestoneId/status')
  @Roles(...ACTION_RIGHTS.writeMilestones)
  async setMilestoneStatus(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Param('milestoneId', ParseUUIDPipe) milestoneId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, `milestone-status-${milestoneId}`),
      dto: UpdateMilestoneDto,
      kinds: { version: 'number' },
      action: (input) => this.milestones.update(actor, milestoneId, input),
      done: 'done.milestoneSaved',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/edit')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  async editProgramme(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.changeProgramme(actor, request, reply, code, programmeId, body, {
      form: 'programme-edit',
      status: undefined,
      done: 'done.programmeSaved',
    });
  }

  @Post(':code/programmes/:id/hold')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  async holdProgramme(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.changeProgramme(actor, request, reply, code, programmeId, body, {
      form: 'programme-hold',
      status: 'on_hold',
      done: 'done.programmeOnHold',
    });
  }

  @Post(':code/programmes/:id/resume')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  async resumeProgramme(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.changeProgramme(actor, request, reply, code, programmeId, body, {
      form: 'programme-resume',
      status: 'active',
      done: 'done.programmeResumed',
    });
  }

  /** The form's checkbox posts the status: unticked, nothing is posted and nothing is cancelled. */
  @Post(':code/programmes/:id/cancel')
  @Roles(...ACTION_RIGHTS.manageProgrammes)
  async cancelProgramme(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.changeProgramme(actor, request, reply, code, programmeId, body, {
      form: 'programme-cancel',
      status: 'cancelled',
      done: 'done.programmeCancelled',
    });
  }

  /** Starts an assessment, then opens its questionnaire. */
  @Post(':code/programmes/:id/assessments')
  @Roles(...ACTION_RIGHTS.answerAssessments)
  async startAssessment(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    const form = this.workspaceForm(actor, request, code, programmeId, 'assessment-new');
    let questionnaire: string | undefined;
    await this.forms.submit(request, reply, actor, body, {
      ...form,
      dto: CreateAssessmentDto,
      action: async (input) => {
        const assessment = await this.assessments.create(actor, programmeId, input);
        questionnaire = `/app/assessments/${assessment.id}`;
        return assessment;
      },
      done: 'done.assessmentStarted',
      // Read once the assessment is made: its questionnaire; refused, the workspace again.
      get back() {
        return questionnaire ?? form.back;
      },
    });
  }

  /**
   * One change of the programme, through the API's PATCH body and service: each form posts the
   * status of its action (none for the edit), and a post of another status is refused.
   */
  private async changeProgramme(
    actor: Actor,
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    programmeId: string,
    body: unknown,
    change: { form: string; status: ProgrammeStatus | undefined; done: string },
  ): Promise<void> {
    const programme = await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, body, {
      ...this.workspaceForm(actor, request, code, programmeId, change.form),
      dto: UpdateProgrammeDto,
      kinds: { version: 'number', targetDate: 'clearable' },
      action: (input) => {
        if (input.status !== change.status) {
          throw invalidField(
            'status',
            change.status === undefined
              ? ValidationFieldErrors.unknown_field
              : input.status === undefined
                ? ValidationFieldErrors.is_defined
                : ValidationFieldErrors.is_in,
            { values: change.status ?? '' },
          );
        }
        return this.programmes.update(actor, programmeId, input).catch((error: unknown) => {
          // Changed in another tab or by someone else: said of the programme by its title.
          if (error instanceof DomainError && error.entry === CommonErrors.version_conflict) {
            throw new DomainError(error.entry, { ...error.params, what: programme.title });
          }
          throw error;
        });
      },
      done: change.done,
      confirmAt: change.status === undefined ? 'form' : 'page',
    });
  }

  /** A workspace form goes back to the programme's workspace, shown again when refused. */
  /**
   * A document from the workspace's form of its kind: the file streams in as the API's upload
   * does (the form's fields come before it), without JavaScript.
   */
  @Post(':code/programmes/:id/documents/:kind')
  @ReadsFiles()
  @Roles(...ACTION_RIGHTS.uploadDocuments)
  async uploadDocument(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Param('kind') kind: string,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, undefined, {
      ...this.workspaceForm(actor, request, code, programmeId, `upload-${kind}`),
      action: async () => {
        const form = await readUploadForm(request);
        // The form's kind is its address's (a posted one is the API's to judge); a field left
        // empty, such as the title, is not given.
        const given = Object.entries(form.fields).filter(([, value]) => value !== '');
        return this.documents.upload(actor, programmeId, {
          ...form,
          fields: { kind, ...Object.fromEntries(given) },
        });
      },
      done: 'done.documentUploaded',
      confirmAt: 'form',
    });
  }

  @Post(':code/programmes/:id/documents/:documentId/delete')
  @Roles(...ACTION_RIGHTS.deleteDocuments)
  async deleteDocument(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) programmeId: string,
    @Param('documentId', ParseUUIDPipe) documentId: string,
  ): Promise<void> {
    await this.country.assertProgrammeOf(actor, code, programmeId);
    await this.forms.submit(request, reply, actor, undefined, {
      ...this.workspaceForm(actor, request, code, programmeId, `document-delete-${documentId}`),
      action: () => this.documents.delete(actor, documentId, programmeId),
      done: 'done.documentDeleted',
    });
  }

  private workspaceForm(
    actor: Actor,
    request: FastifyRequest,
    code: string,
    programmeId: string,
    id: string,
  ): Pick<PageForm<unknown>, 'id' | 'back' | 'page'> {
    return {
      id,
      back: `/app/countries/${encodeURIComponent(code)}?programme=${programmeId}`,
      page: async () => ({
        view: 'country',
        data: await this.country.view(
          actor,
          code,
          programmeId,
          this.pages.language(request, actor.user),
        ),
      }),
    };
  }
}
