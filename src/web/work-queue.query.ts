import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { AppConfig } from '../config/app-config.js';
import { overdueMilestoneSql } from '../milestones/milestone.sql.js';
import { type ReminderRules, reminderRules } from '../reminders/reminder-rules.js';
import { staleStatusUpdateSql } from '../reminders/status-update-stale.sql.js';

/** How many of each thing wait for a manager: each the length of the list it links to. */
export interface WorkCounts {
  /** Pending phase changes this user may decide (My queue's, less their own requests). */
  decisionsWaiting: number;
  /** Of those, the ones asked for more than a week ago. */
  waitingOverAWeek: number;
  overdueMilestones: number;
  /** Programmes whose health is off track or at risk, as the programme list filters them. */
  offTrack: number;
  atRisk: number;
  staleUpdates: number;
}

/**
 * What waits for a coordinator or project manager: decisions, late milestones, silent programmes,
 * listed in full, and counted. Each list's rows are chosen by one SQL condition below, which its
 * count uses as well, so that a count on the manager's home is always the length of its list.
 */
@Injectable()
export class WorkQueueQuery {
  /** The rules as configured, as the reminder scan reads them: the queue lists what it reminds. */
  private readonly rules: ReminderRules;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
    config: AppConfig,
  ) {
    this.rules = reminderRules(config.REMINDER_RULES);
  }

  async forUser(user: Principal, lang: string, asOf: Date) {
    const transitionParams: unknown[] = [lang];
    const transitions = await this.dataSource.query(
      `SELECT t.id, t.programme_id AS "programmeId", p.title, c.code AS "countryCode",
              coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName", t.from_phase AS "fromPhase",
              t.to_phase AS "toPhase", t.requested_at AS "requestedAt", t.requested_by AS "requestedBy",
              ${this.mayDecideSql(user, transitionParams)} AS "mayDecide",
              u.display_name AS "requesterName", t.note, t.gate_at_request AS gate
       FROM phase_transitions t
       JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
       JOIN users u ON u.id = t.requested_by
       WHERE ${this.pendingTransitionSql(user, transitionParams)}
       ORDER BY t.requested_at`,
      transitionParams,
    );
    const overdueParams: unknown[] = [lang];
    const overdue = await this.dataSource.query(
      `SELECT m.id, m.title, m.plan_key AS "planKey", p.id AS "programmeId", m.phase, to_char(m.due_date, 'YYYY-MM-DD') AS "dueDate", m.status,
              c.code AS "countryCode", coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName", p.title AS "programmeTitle"
       FROM milestones m JOIN programmes p ON p.id = m.programme_id JOIN countries c ON c.code = p.country_code
       WHERE ${this.overdueMilestoneSql(user, asOf, overdueParams)}
       ORDER BY m.due_date, c.code`,
      overdueParams,
    );
    const staleParams: unknown[] = [lang];
    const stale = await this.dataSource.query(
      `SELECT p.id, p.title, c.code AS "countryCode", coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName",
              p.health_updated_at AS "lastUpdateAt"
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE ${this.staleProgrammeSql(user, asOf, staleParams)}
       ORDER BY p.health_updated_at NULLS FIRST, c.code`,
      staleParams,
    );
    return { transitions, overdue, stale };
  }

  /** The lengths of the queue's lists, and of the programme list by health, in one statement. */
  async counts(user: Principal, asOf: Date): Promise<WorkCounts> {
    const params: unknown[] = [asOf];
    const [counts] = await this.dataSource.query(
      `WITH decisions AS (
         SELECT count(*)::int AS waiting,
                count(*) FILTER (WHERE t.requested_at <= $1::timestamptz - interval '7 days')::int AS over_a_week
         FROM phase_transitions t
         JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
         WHERE ${this.pendingTransitionSql(user, params)} AND ${this.mayDecideSql(user, params)}
       ), overdue AS (
         SELECT count(*)::int AS milestones
         FROM milestones m JOIN programmes p ON p.id = m.programme_id JOIN countries c ON c.code = p.country_code
         WHERE ${this.overdueMilestoneSql(user, asOf, params)}
       ), programmes AS (
         SELECT count(*) FILTER (WHERE p.health = 'off_track')::int AS off_track,
                count(*) FILTER (WHERE p.health = 'at_risk')::int AS at_risk,
                count(*) FILTER (WHERE ${this.staleProgrammeSql(user, asOf, params)})::int AS stale
         FROM programmes p JOIN countries c ON c.code = p.country_code
         WHERE ${this.scopeSql(user, params)}
       )
       SELECT decisions.waiting AS "decisionsWaiting", decisions.over_a_week AS "waitingOverAWeek",
              overdue.milestones AS "overdueMilestones", programmes.off_track AS "offTrack",
              programmes.at_risk AS "atRisk", programmes.stale AS "staleUpdates"
       FROM decisions, overdue, programmes`,
      params,
    );
    return counts;
  }

  /** The count in the menu's "My queue": the phase changes waiting for this user's decision. */
  async decisionsWaiting(user: Principal): Promise<number> {
    const params: unknown[] = [];
    const [{ waiting }] = await this.dataSource.query(
      `SELECT count(*)::int AS waiting
       FROM phase_transitions t
       JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
       WHERE ${this.pendingTransitionSql(user, params)} AND ${this.mayDecideSql(user, params)}`,
      params,
    );
    return waiting;
  }

  // The conditions that choose each list's rows, over `t` (phase_transitions), `m` (milestones),
  // `p` (programmes) and `c` (countries). Each appends its parameters to `params`.

  private scopeSql(user: Principal, params: unknown[]): string {
    return this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'c.code', region: 'c.region_code' },
      params,
    );
  }

  private pendingTransitionSql(user: Principal, params: unknown[]): string {
    return `t.status = 'pending' AND ${this.scopeSql(user, params)}`;
  }

  /** Someone other than its requester decides a change (TransitionsService refuses the requester). */
  private mayDecideSql(user: Principal, params: unknown[]): string {
    params.push(user.id);
    return `t.requested_by <> $${params.length}`;
  }

  private overdueMilestoneSql(user: Principal, asOf: Date, params: unknown[]): string {
    params.push(asOf);
    return `${overdueMilestoneSql('m', 'c.timezone', `$${params.length}`)} AND p.status = 'active'
         AND ${this.scopeSql(user, params)}`;
  }

  private staleProgrammeSql(user: Principal, asOf: Date, params: unknown[]): string {
    params.push(asOf, this.rules.statusUpdateStale.afterDays);
    const stale = staleStatusUpdateSql(
      'p',
      'c.timezone',
      `$${params.length - 1}`,
      `$${params.length}`,
    );
    return `p.status = 'active' AND ${stale} AND ${this.scopeSql(user, params)}`;
  }
}
