import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { AppConfig } from '../config/app-config.js';
import { overdueMilestoneSql } from '../milestones/milestone.sql.js';
import { type ReminderRules, reminderRules } from '../reminders/reminder-rules.js';
import { staleStatusUpdateSql } from '../reminders/status-update-stale.sql.js';

/** What waits for a coordinator or project manager: decisions, late milestones, silent programmes. */
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
    const scoped = (params: unknown[]) =>
      this.policy.scopeSql(
        this.policy.readScope(user),
        { country: 'c.code', region: 'c.region_code' },
        params,
      );
    const transitionParams: unknown[] = [lang];
    const transitions = await this.dataSource.query(
      `SELECT t.id, t.programme_id AS "programmeId", p.title, c.code AS "countryCode",
              coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName", t.from_phase AS "fromPhase",
              t.to_phase AS "toPhase", t.requested_at AS "requestedAt", t.requested_by AS "requestedBy",
              u.display_name AS "requesterName", t.note, t.gate_at_request AS gate
       FROM phase_transitions t
       JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
       JOIN users u ON u.id = t.requested_by
       WHERE t.status = 'pending' AND ${scoped(transitionParams)}
       ORDER BY t.requested_at`,
      transitionParams,
    );
    const overdueParams: unknown[] = [lang, asOf];
    const overdue = await this.dataSource.query(
      `SELECT m.id, m.title, m.plan_key AS "planKey", p.id AS "programmeId", m.phase, to_char(m.due_date, 'YYYY-MM-DD') AS "dueDate", m.status,
              c.code AS "countryCode", coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName", p.title AS "programmeTitle"
       FROM milestones m JOIN programmes p ON p.id = m.programme_id JOIN countries c ON c.code = p.country_code
       WHERE ${overdueMilestoneSql('m', 'c.timezone', '$2')} AND p.status = 'active'
         AND ${scoped(overdueParams)}
       ORDER BY m.due_date, c.code LIMIT 100`,
      overdueParams,
    );
    const staleParams: unknown[] = [lang, asOf, this.rules.statusUpdateStale.afterDays];
    const stale = await this.dataSource.query(
      `SELECT p.id, p.title, c.code AS "countryCode", coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName",
              p.health_updated_at AS "lastUpdateAt"
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.status = 'active' AND ${staleStatusUpdateSql('p', 'c.timezone', '$2', '$3')}
         AND ${scoped(staleParams)}
       ORDER BY p.health_updated_at NULLS FIRST, c.code LIMIT 100`,
      staleParams,
    );
    return { transitions, overdue, stale };
  }
}
