import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../common/common.errors.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { ROLES, type Principal, type Role } from './roles.js';

/** The countries a user may see or change. */
export type CountryScope =
  | { kind: 'all' }
  | { kind: 'region'; regionCode: string }
  | { kind: 'country'; countryCode: string }
  | { kind: 'none' };

export interface CountryRef {
  code: string;
  regionCode: string;
}

/** Those who work on the rollouts, as against observers (docs/domain.md §3). */
const WORKERS = ['admin', 'itu_pm', 'regional_coordinator', 'national_team'] as const;

/** Those who follow many countries at once, as against a national team (its own country). */
const OVERSEERS = ['admin', 'itu_pm', 'regional_coordinator', 'observer'] as const;

/**
 * Which roles may read each kind of country data, within their read scope. Observers follow
 * phases and scores; what the teams write and whom they deal with is for those who do the work.
 * The API's routes (`@Roles(...READ_RIGHTS.x)`), the services and the pages all take it from here.
 */
export const READ_RIGHTS = {
  programmes: ROLES,
  transitions: ROLES,
  /** Assessments' status and scores. */
  assessments: ROLES,
  /** Assessments' answers, evidence and gaps. */
  assessmentAnswers: WORKERS,
  milestones: WORKERS,
  /** What status updates say; their health shows on the programme to all. */
  statusUpdates: WORKERS,
  stakeholders: WORKERS,
  /** A programme's documents: observers see that they are there (title, version, date). */
  documents: ROLES,
  /** The documents' files, and what identifies them (name, size, SHA-256, who uploaded them). */
  documentFiles: WORKERS,
  /** The audit trail, and the events of a programme's history. */
  audit: WORKERS,
  notifications: WORKERS,
  /** Compiled reports; observers get scores only (see reports/report-scope.ts). */
  reports: OVERSEERS,
  /** Aggregates across countries: the portfolio with its map, regions and programme table. */
  portfolio: OVERSEERS,
  /** Assessment campaigns and their progress: a coordinator's, those that reach their region. */
  campaigns: ['admin', 'itu_pm', 'regional_coordinator'],
} as const satisfies Record<string, readonly Role[]>;

export type ReadRight = keyof typeof READ_RIGHTS;

/** Those who write a country's data, in their write scope (see AccessPolicy.writeScope). */
const COUNTRY_WRITERS = ['admin', 'itu_pm', 'national_team'] as const;

/**
 * Which roles may take each action, within their scope. The API's routes take their @Roles from
 * it, and the pages offer an action (a form, a button, a menu entry) only to the roles it names,
 * so that a page never shows what the API would refuse.
 */
export const ACTION_RIGHTS = {
  /** Ask for a programme's next phase. */
  requestTransitions: COUNTRY_WRITERS,
  /** Approve or reject a requested phase change: the queue of decisions. */
  decideTransitions: ['admin', 'itu_pm', 'regional_coordinator'],
  /** Add and update milestones. */
  writeMilestones: COUNTRY_WRITERS,
  postStatusUpdates: COUNTRY_WRITERS,
  /** Add, update and remove stakeholders. */
  writeStakeholders: COUNTRY_WRITERS,
  /** Start a programme, and change one: its title and dates, a hold and its reason, its end. */
  manageProgrammes: ['admin', 'itu_pm'],
  /** Start an assessment, answer its indicators and submit it. */
  answerAssessments: COUNTRY_WRITERS,
  /** Validate a submitted assessment or return it for changes. */
  reviewAssessments: ['admin', 'itu_pm'],
  /** Launch and close assessment campaigns: a coordinator in their own region only. */
  launchCampaigns: ['admin', 'itu_pm', 'regional_coordinator'],
  /** Upload a programme's documents: a new one, or a new version. */
  uploadDocuments: COUNTRY_WRITERS,
  /** Delete a document with all its versions. */
  deleteDocuments: ['admin', 'itu_pm'],
  /** Ask for reports and schedule them: a coordinator for their own region only. */
  requestReports: ['admin', 'itu_pm', 'regional_coordinator'],
  /** Send a failed or dead notification again. */
  retryNotifications: ['admin', 'itu_pm'],
  /** Send a test message through a channel. */
  sendTestNotifications: ['admin', 'itu_pm'],
  /**
   * List, create and change users: an itu_pm only coordinators, national teams and observers
   * (UsersService.mayManage), an administrator everyone.
   */
  manageUsers: ['admin', 'itu_pm'],
  /** See and revoke any user's API tokens. */
  manageUserTokens: ['admin'],
  /** Run the reminder scan now, instead of waiting for its schedule. */
  runReminderScans: ['admin', 'itu_pm'],
  /** Pause, resume and reassign report schedules, whoever owns them. */
  manageReportSchedules: ['admin', 'itu_pm'],
} as const satisfies Record<string, readonly Role[]>;

export type ActionRight = keyof typeof ACTION_RIGHTS;

/**
 * The one answer to "may this user read / write data of country X?". Services ask it for each
 * object and list queries filter in SQL with `scopeSql`; what is out of the read scope answers 404
 * so that its existence does not leak.
 */
@Injectable()
export class AccessPolicy {
  /** Whether the user's role may read this kind of data at all; the country scope comes on top. */
  mayRead(user: Principal, what: ReadRight): boolean {
    return (READ_RIGHTS[what] as readonly Role[]).includes(user.role);
  }

  /** Whether the user's role may take this action at all; the country scope comes on top. */
  mayDo(user: Principal, what: ActionRight): boolean {
    return (ACTION_RIGHTS[what] as readonly Role[]).includes(user.role);
  }

  /** Refuses (403) as the API's routes do a role that may not read this kind of data. */
  assertMayRead(user: Principal, what: ReadRight): void {
    if (!this.mayRead(user, what)) {
      throw new DomainError(CommonErrors.role_not_allowed, { role: user.role });
    }
  }

  readScope(user: Principal): CountryScope {
    switch (user.role) {
      case 'admin':
      case 'itu_pm':
      case 'observer':
        return { kind: 'all' };
      case 'regional_coordinator':
        return user.regionCode ? { kind: 'region', regionCode: user.regionCode } : { kind: 'none' };
      case 'national_team':
        return user.countryCode
          ? { kind: 'country', countryCode: user.countryCode }
          : { kind: 'none' };
    }
  }

  /** Country data (programmes, milestones, stakeholders...) is written by its team and by the ITU. */
  writeScope(user: Principal): CountryScope {
    switch (user.role) {
      case 'admin':
      case 'itu_pm':
        return { kind: 'all' };
      case 'national_team':
        return this.readScope(user);
      case 'regional_coordinator':
      case 'observer':
        return { kind: 'none' };
    }
  }

  includes(scope: CountryScope, country: CountryRef): boolean {
    switch (scope.kind) {
      case 'all':
        return true;
      case 'region':
        return country.regionCode === scope.regionCode;
      case 'country':
        return country.code === scope.countryCode;
      case 'none':
        return false;
    }
  }

  canRead(user: Principal, country: CountryRef): boolean {
    return this.includes(this.readScope(user), country);
  }

  canWrite(user: Principal, country: CountryRef): boolean {
    return this.includes(this.writeScope(user), country);
  }

  /** Throws 404 when the country's data is outside what the user may see. */
  assertCanRead(user: Principal, country: CountryRef, what: string): void {
    if (!this.canRead(user, country)) throw notFound(what);
  }

  /** 404 when the user may not even see it, 403 when they may see but not change it. */
  assertCanWrite(user: Principal, country: CountryRef, what: string): void {
    this.assertCanRead(user, country, what);
    if (!this.canWrite(user, country)) {
      throw new DomainError(CommonErrors.read_only, { country: country.code });
    }
  }

  /**
   * A SQL condition limiting rows to the scope, given the columns that hold the country code and
   * its region code. Appends its parameters to `params` and refers to them by position.
   */
  scopeSql(
    scope: CountryScope,
    columns: { country: string; region: string },
    params: unknown[],
  ): string {
    switch (scope.kind) {
      case 'all':
        return 'TRUE';
      case 'region':
        params.push(scope.regionCode);
        return `${columns.region} = $${params.length}`;
      case 'country':
        params.push(scope.countryCode);
        return `${columns.country} = $${params.length}`;
      case 'none':
        return 'FALSE';
    }
  }
}
