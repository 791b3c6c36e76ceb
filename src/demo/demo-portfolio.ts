import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { TemplatesService } from '../assessments/templates.service.js';
import type { Actor, Role } from '../auth/roles.js';
import { Clock } from '../common/clock.js';
import { addDays, localDate } from '../common/dates.js';
import { DomainError, invalidField } from '../common/domain-error.js';
import { DemoErrors, DemoFieldErrors } from './demo.errors.js';
import { DemoQuery } from './demo.query.js';
import { MilestonesQuery } from '../milestones/dto/milestone.dto.js';
import type { MilestoneStatus } from '../milestones/milestone.constants.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import { PHASES, type Health, type Phase } from '../programmes/programme.constants.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { TransitionsService } from '../programmes/transitions.service.js';
import { PHASE_DELIVERABLES } from '../documents/document.constants.js';
import { discard } from '../documents/document-upload.js';
import { DocumentsService } from '../documents/documents.service.js';
import { demoDeliverable } from './demo-documents.js';
import type { StakeholderRole } from '../stakeholders/stakeholder.constants.js';
import { StakeholdersService } from '../stakeholders/stakeholders.service.js';
import { StatusUpdatesService } from '../status-updates/status-updates.service.js';
import type { CreateUserDto } from '../users/dto/user.dto.js';
import { UsersService } from '../users/users.service.js';
import {
  type DemoCountry,
  type ProgrammeStory,
  levelOf,
  pickCountries,
  planStories,
} from './demo-plan.js';

/** Printed with the e-mails: the demo is for trying the product, never for real data. */
export const DEMO_PASSWORD = 'demo-only-password';

/** The demo's users, named by the part each plays in the stories. */
export const DEMO_USERS = {
  admin: {
    email: 'admin@demo.cirt-tracker.org',
    displayName: 'Demo administrator',
    role: 'admin',
    regionCode: null,
    countryCode: null,
  },
  pm: {
    email: 'pm@demo.cirt-tracker.org',
    displayName: 'Demo ITU project manager',
    role: 'itu_pm',
    regionCode: null,
    countryCode: null,
  },
  coordinator: {
    email: 'coordinator.afr@demo.cirt-tracker.org',
    displayName: 'Demo coordinator for Africa',
    role: 'regional_coordinator',
    regionCode: 'AFR',
    countryCode: null,
  },
  team: {
    email: 'team.ke@demo.cirt-tracker.org',
    displayName: 'Demo national team of Kenya',
    role: 'national_team',
    regionCode: null,
    countryCode: 'KE',
  },
  observer: {
    email: 'observer@demo.cirt-tracker.org',
    displayName: 'Demo observer',
    role: 'observer',
    regionCode: null,
    countryCode: null,
  },
} as const satisfies Record<string, Omit<CreateUserDto, 'password'>>;

type DemoActors = Record<'admin' | 'pm' | 'coordinator' | 'team', Actor>;

export interface DemoSummary {
  alreadyLoaded: boolean;
  programmes: number;
  /** Countries by the phase of their national programme. */
  countriesPerPhase: { phase: Phase; countries: number }[];
  users: { email: string; role: Role; scope: string | null }[];
  password: string;
}

const DAY_MS = 86_400_000;

const UPDATES: Record<Phase, string> = {
  readiness_assessment:
    'Readiness questionnaire circulated to the ministry, the regulator and the main operators.',
  planning: 'Design mission held; the Design Document is being drafted with the host institution.',
  implementation: 'Equipment delivered and installed; the first analysts are in training.',
  operation: 'Incident reports come in from the constituency; preparing for the next CyberDrill.',
  maintenance: 'New services under way: situational awareness and digital forensics.',
};

const HEALTH_NOTES: Record<Health, string> = {
  on_track: 'On schedule.',
  at_risk: 'One milestone is late; a recovery plan is agreed with the host.',
  off_track: 'Blocked on the running costs; escalated to the executive sponsor.',
};

const STAKEHOLDERS: { role: StakeholderRole; label: string; organisation: string }[] = [
  {
    role: 'national_focal_point',
    label: 'focal point',
    organisation: 'National cybersecurity agency',
  },
  { role: 'host_approver', label: 'host approver', organisation: 'Ministry in charge of ICT' },
];

/**
 * Fills the database with a believable portfolio, once: demo users of every role and
 * `options.countries` countries with programmes in every phase, with their milestones, status
 * updates, stakeholders, assessments and decisions, all written through the services.
 */
export async function loadDemoPortfolio(
  app: INestApplicationContext,
  options: { countries: number },
): Promise<DemoSummary> {
  const query = new DemoQuery(app.get<DataSource>(getDataSourceToken()));
  const countries = await query.countries();
  if (
    !Number.isInteger(options.countries) ||
    options.countries < 1 ||
    options.countries > countries.length
  ) {
    throw invalidField('countries', DemoFieldErrors.demo_country_count, { max: countries.length });
  }
  const { users, programmes } = await query.usersAndProgrammes(
    Object.values(DEMO_USERS).map((user) => user.email),
  );
  if (users === Object.keys(DEMO_USERS).length) return summarise(query, true);
  if (users > 0) {
    throw new DomainError(DemoErrors.demo_incomplete);
  }
  if (programmes > 0) {
    throw new DomainError(DemoErrors.database_not_empty);
  }

  const usersService = app.get(UsersService);
  const actors: DemoActors = {
    admin: await createUser(usersService, DEMO_USERS.admin),
    pm: await createUser(usersService, DEMO_USERS.pm),
    coordinator: await createUser(usersService, DEMO_USERS.coordinator),
    team: await createUser(usersService, DEMO_USERS.team),
  };
  const picked = pickCountries(countries, options.countries);
  const clock = app.get(Clock);
  const replay = new Replay(app, actors, clock.now());
  // The services take the time from the injected Clock (the one the tests move as well). Setting
  // it to each step's moment while the stories are replayed dates phases, due dates, completions,
  // answers, decisions and their audit events as a real history would.
  const realNow = clock.now;
  clock.now = () => new Date(replay.time);
  try {
    for (const country of picked) await replay.addStakeholders(country);
    for (const story of planStories(picked)) await replay.tell(story);
  } finally {
    clock.now = realNow;
  }
  // Created last, once the portfolio is in: all five users present means a load that finished.
  await createUser(usersService, DEMO_USERS.observer);
  return summarise(query, false);
}

async function createUser(
  users: UsersService,
  user: Omit<CreateUserDto, 'password'>,
): Promise<Actor> {
  const { id, email, displayName, role, countryCode, regionCode, locale, timezone } =
    await users.createByOperator({ ...user, password: DEMO_PASSWORD });
  return {
    user: {
      id,
      email,
      displayName,
      role,
      countryCode,
      regionCode,
      locale,
      timezone,
      passwordChangeRequired: false,
    },
    requestId: 'demo',
  };
}

async function summarise(query: DemoQuery, alreadyLoaded: boolean): Promise<DemoSummary> {
  const rows = await query.nationalCountriesPerPhase();
  return {
    alreadyLoaded,
    programmes: await query.programmeCount(),
    countriesPerPhase: PHASES.map((phase) => ({
      phase,
      countries: rows.find((row) => row.phase === phase)?.countries ?? 0,
    })),
    users: Object.values(DEMO_USERS).map((user) => ({
      email: user.email,
      role: user.role,
      scope: user.regionCode ?? user.countryCode,
    })),
    password: DEMO_PASSWORD,
  };
}

/** Tells each programme's story through the services, step by step, at the step's own time. */
class Replay {
  /** What the services' clock answers while a story is told. */
  time: Date;
  private readonly programmes: ProgrammesService;
  private readonly milestones: MilestonesService;
  private readonly statusUpdates: StatusUpdatesService;
  private readonly stakeholders: StakeholdersService;
  private readonly assessments: AssessmentsService;
  private readonly templates: TemplatesService;
  private readonly transitions: TransitionsService;
  private readonly documents: DocumentsService;

  constructor(
    app: INestApplicationContext,
    private readonly actors: DemoActors,
    private readonly now: Date,
  ) {
    this.time = now;
    this.programmes = app.get(ProgrammesService);
    this.milestones = app.get(MilestonesService);
    this.statusUpdates = app.get(StatusUpdatesService);
    this.stakeholders = app.get(StakeholdersService);
    this.assessments = app.get(AssessmentsService);
    this.templates = app.get(TemplatesService);
    this.transitions = app.get(TransitionsService);
    this.documents = app.get(DocumentsService);
  }

  async addStakeholders(country: DemoCountry): Promise<void> {
    for (const { role, label, organisation } of STAKEHOLDERS) {
      await this.stakeholders.create(this.actors.pm, country.code, {
        name: `${country.name} ${label}`,
        email: `${label.replace(' ', '.')}.${country.code.toLowerCase()}@example.org`,
        role,
        organisation,
        locale: country.regionCode === 'ARB' ? 'ar' : country.regionCode === 'CIS' ? 'ru' : 'en',
      });
    }
  }

  async tell(story: ProgrammeStory): Promise<void> {
    const { pm } = this.actors;
    const timezone = story.country.timezone;
    let entered = this.daysAgo(
      story.pastPhaseDays.reduce((sum, days) => sum + days, 0) + story.daysInPhase,
    );
    this.time = entered;
    const { id } = await this.programmes.create(pm, {
      countryCode: story.country.code,
      cirtType: story.cirtType,
      sector: story.sector,
      title: story.title,
      targetDate: addDays(localDate(entered, timezone), 4 * 365),
    });

    for (const [index, days] of story.pastPhaseDays.entries()) {
      const phase = PHASES[index];
      const left = plusDays(entered, days);
      await this.statusUpdate(story, id, plusDays(entered, days / 2), 'on_track', UPDATES[phase]);
      if (phase === 'readiness_assessment') {
        await this.assess(id, story, 'itu-ncirt-readiness', entered, 'validated');
      }
      if (phase === 'operation') {
        await this.assess(id, story, 'cirt-maturity', plusDays(entered, 280), 'validated');
      }
      await this.workOnMilestones(id, phase, localDate(left, timezone), 'on_track');
      this.time = plusDays(left, -5);
      await this.deliver(story, id, phase);
      this.time = plusDays(left, -3);
      const { id: transitionId } = await this.transitions.request(pm, id, {
        toPhase: PHASES[index + 1],
      });
      this.time = left;
      const approver = story.country.regionCode === 'AFR' ? 'coordinator' : 'admin';
      await this.transitions.approve(this.actors[approver], transitionId, { note: 'Agreed' });
      entered = left;
    }

    await this.statusUpdate(story, id, plusDays(entered, 7), 'on_track', UPDATES[story.phase]);
    if (story.readiness) {
      await this.assess(id, story, 'itu-ncirt-readiness', entered, story.readiness);
    }
    await this.workOnMilestones(id, story.phase, localDate(this.now, timezone), story.health);
    await this.statusUpdate(
      story,
      id,
      this.daysAgo(story.lastUpdateDaysAgo),
      story.health,
      `${UPDATES[story.phase]} ${HEALTH_NOTES[story.health]}`,
    );
    if (story.pendingBy) {
      this.time = this.daysAgo(3);
      await this.deliver(story, id, story.phase);
      this.time = this.daysAgo(2);
      await this.transitions.request(this.actors[story.pendingBy], id, {
        toPhase: PHASES[PHASES.indexOf(story.phase) + 1],
        note: 'Every milestone of the phase is done: please approve the next phase.',
      });
    }
  }

  /** Uploads the made-up deliverable that ends the phase, if it has one. */
  private async deliver(story: ProgrammeStory, id: string, phase: Phase) {
    const kind = PHASE_DELIVERABLES[phase];
    if (!kind) return;
    const file = await demoDeliverable(kind, story.country.name);
    try {
      await this.documents.store(this.authorOf(story), id, { kind }, file);
    } finally {
      await discard(file.path);
    }
  }

  /** Works on a phase's milestones as of `today` (see milestoneStatus). */
  private async workOnMilestones(id: string, phase: Phase, today: string, health: Health) {
    const query = Object.assign(new MilestonesQuery(), { phase, pageSize: 200 });
    const { items } = await this.milestones.list(this.actors.pm, id, query);
    const due = items.filter((milestone) => milestone.dueDate < today).length;
    for (const [index, milestone] of items.entries()) {
      const status = milestoneStatus(index, due, health);
      if (!status) continue;
      this.time = new Date(`${addDays(milestone.dueDate, -(index % 4))}T10:00:00Z`);
      if (this.time > this.now) this.time = this.now;
      await this.milestones.update(this.actors.pm, milestone.id, {
        version: milestone.version,
        status,
      });
    }
  }

  /** An assessment begun on day 10 after `start`, answered on 20, submitted on 35, validated on 50. */
  private async assess(
    programmeId: string,
    story: ProgrammeStory,
    templateKey: string,
    start: Date,
    stage: 'draft' | 'submitted' | 'validated',
  ): Promise<void> {
    const author = this.authorOf(story);
    this.time = plusDays(start, 10);
    const { id } = await this.assessments.create(author, programmeId, { templateKey });
    const indicators = this.templates
      .get(templateKey)
      .areas.flatMap((area) => area.indicators.map((indicator) => indicator.key));
    this.time = plusDays(start, 20);
    // A draft is half answered.
    for (const key of stage === 'draft' ? indicators.slice(0, indicators.length / 2) : indicators) {
      const level = levelOf(story.country.code, key);
      await this.assessments.answer(author, id, key, {
        level,
        evidence: level >= 3 ? ['Document reviewed during the assessment mission'] : [],
      });
    }
    if (stage === 'draft') return;
    this.time = plusDays(start, 35);
    await this.assessments.submit(author, id);
    if (stage === 'submitted') return;
    this.time = plusDays(start, 50);
    await this.assessments.validate(this.actors.pm, id);
  }

  private async statusUpdate(
    story: ProgrammeStory,
    id: string,
    at: Date,
    health: Health,
    summary: string,
  ) {
    this.time = at;
    await this.statusUpdates.create(this.authorOf(story), id, { health, summary });
  }

  /** Kenya's team writes its own updates and answers; the ITU project manager does elsewhere. */
  private authorOf(story: ProgrammeStory): Actor {
    return story.country.code === this.actors.team.user.countryCode
      ? this.actors.team
      : this.actors.pm;
  }

  private daysAgo(days: number): Date {
    return plusDays(this.now, -days);
  }
}

/**
 * The status of the milestone at `index` (by due date) when the first `due` are due: those are
 * done, except the last one of a programme at risk or the last two of one off track, which stay
 * open and so are overdue; the next one due is in progress; later ones stay planned.
 */
function milestoneStatus(index: number, due: number, health: Health): MilestoneStatus | undefined {
  if (index > due) return undefined;
  if (index === due) return 'in_progress';
  const late = { on_track: 0, at_risk: 1, off_track: 2 }[health];
  if (index < due - late) return 'done';
  return health === 'off_track' && index === due - 1 ? 'blocked' : 'in_progress';
}

function plusDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + Math.round(days) * DAY_MS);
}
