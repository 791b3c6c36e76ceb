import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countryDaysSinceSql, countryTodaySql } from '../common/country-calendar.sql.js';
import { openMilestoneSql } from '../milestones/milestone.sql.js';
import type { Phase } from '../programmes/programme.constants.js';
import {
  daysWithoutStatusUpdateSql,
  lastStatusUpdateSql,
  staleStatusUpdateSql,
} from './status-update-stale.sql.js';

/** A subject (a milestone, a transition, a programme...) a reminder rule may fall due for. */
export interface ReminderCandidate {
  subject: string;
  countryCode: string;
  programmeId: string;
  programmeTitle: string;
  /** Days in the country's calendar that the rule counts (before due, late, waiting...). */
  days: number;
  milestoneTitle?: string;
  /** The default plan item of the milestone, whose title has a translation. */
  planKey?: string | null;
  dueDate?: string;
  phase?: string;
  ownerId?: string | null;
  /** The campaign that asked for the assessment (campaign rules). */
  campaignTitle?: string;
  assessmentId?: string;
}

/** The country's calendar date now: reminders count days as the country lives them. */
const TODAY = countryTodaySql('$1', 'c.timezone');

/**
 * What the reminder scan reads across the portfolio (programmes, milestones, transitions,
 * assessments, in their countries' calendars), for the whole portfolio at once. Reads only.
 */
@Injectable()
export class ReminderScanQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Open milestones of active programmes due within `maxDays` days (0 = today); days = days left. */
  milestonesDueWithin(now: Date, maxDays: number): Promise<ReminderCandidate[]> {
    return this.milestones(
      now,
      `m.due_date - ${TODAY} BETWEEN 0 AND $2`,
      maxDays,
      `m.due_date - ${TODAY}`,
    );
  }

  /** Open milestones of active programmes `minDays` or more days late; days = days late. */
  milestonesOverdueBy(now: Date, minDays: number): Promise<ReminderCandidate[]> {
    return this.milestones(now, `${TODAY} - m.due_date >= $2`, minDays, `${TODAY} - m.due_date`);
  }

  private milestones(
    now: Date,
    condition: string,
    bound: number,
    days: string,
  ): Promise<ReminderCandidate[]> {
    return this.dataSource.query(
      `SELECT m.id AS subject, p.id AS "programmeId", p.country_code AS "countryCode", p.title AS "programmeTitle",
              m.title AS "milestoneTitle", m.plan_key AS "planKey", to_char(m.due_date, 'YYYY-MM-DD') AS "dueDate",
              m.owner_stakeholder_id AS "ownerId", (${days})::int AS days
       FROM milestones m JOIN programmes p ON p.id = m.programme_id JOIN countries c ON c.code = p.country_code
       WHERE p.status = 'active' AND ${openMilestoneSql('m.status')} AND ${condition}`,
      [now, bound],
    );
  }

  /**
   * Campaign drafts not yet submitted (draft, or returned for changes) of open campaigns and
   * active programmes, due within `maxDays` days (0 = today); days = days left.
   */
  campaignDraftsDueWithin(now: Date, maxDays: number): Promise<ReminderCandidate[]> {
    return this.campaignDrafts(
      now,
      `k.due_date - ${TODAY} BETWEEN 0 AND $2`,
      maxDays,
      `k.due_date - ${TODAY}`,
    );
  }

  /** The same drafts `minDays` or more days past the campaign's due date; days = days late. */
  campaignDraftsOverdueBy(now: Date, minDays: number): Promise<ReminderCandidate[]> {
    return this.campaignDrafts(
      now,
      `${TODAY} - k.due_date >= $2`,
      minDays,
      `${TODAY} - k.due_date`,
    );
  }

  private campaignDrafts(
    now: Date,
    condition: string,
    bound: number,
    days: string,
  ): Promise<ReminderCandidate[]> {
    return this.dataSource.query(
      `SELECT a.id AS subject, a.id AS "assessmentId", p.id AS "programmeId", p.country_code AS "countryCode",
              p.title AS "programmeTitle", k.title AS "campaignTitle",
              to_char(k.due_date, 'YYYY-MM-DD') AS "dueDate", (${days})::int AS days
       FROM assessments a JOIN assessment_campaigns k ON k.id = a.campaign_id
       JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code
       WHERE k.status = 'open' AND p.status = 'active' AND a.status IN ('draft', 'returned')
         AND ${condition}`,
      [now, bound],
    );
  }

  /** Pending phase transitions requested `firstAfterDays` or more days ago; days = days waiting. */
  transitionsWaiting(now: Date, firstAfterDays: number): Promise<ReminderCandidate[]> {
    return this.dataSource.query(
      `SELECT t.id AS subject, p.id AS "programmeId", p.country_code AS "countryCode", p.title AS "programmeTitle",
              t.to_phase AS phase, ${countryDaysSinceSql('t.requested_at', '$1', 'c.timezone')}::int AS days
       FROM phase_transitions t JOIN programmes p ON p.id = t.programme_id JOIN countries c ON c.code = p.country_code
       WHERE t.status = 'pending' AND ${countryDaysSinceSql('t.requested_at', '$1', 'c.timezone')} >= $2`,
      [now, firstAfterDays],
    );
  }

  /** Active programmes without a status update for `afterDays` days or more; days = days silent. */
  staleStatusUpdates(now: Date, afterDays: number): Promise<ReminderCandidate[]> {
    return this.dataSource.query(
      `SELECT p.id || ':' || to_char(${lastStatusUpdateSql('p')}, 'YYYYMMDDHH24MISS') AS subject,
              p.id AS "programmeId", p.country_code AS "countryCode", p.title AS "programmeTitle",
              ${daysWithoutStatusUpdateSql('p', 'c.timezone', '$1')}::int AS days
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE p.status = 'active' AND ${staleStatusUpdateSql('p', 'c.timezone', '$1', '$2')}`,
      [now, afterDays],
    );
  }

  /** Draft or returned assessments of active programmes untouched for `afterDays` days or more. */
  staleDrafts(now: Date, afterDays: number): Promise<ReminderCandidate[]> {
    return this.dataSource.query(
      `SELECT a.id || ':' || to_char(a.updated_at, 'YYYYMMDDHH24MISS') AS subject, p.id AS "programmeId",
              p.country_code AS "countryCode", p.title AS "programmeTitle",
              ${countryDaysSinceSql('a.updated_at', '$1', 'c.timezone')}::int AS days
       FROM assessments a JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code
       WHERE p.status = 'active' AND a.status IN ('draft', 'returned')
         AND ${countryDaysSinceSql('a.updated_at', '$1', 'c.timezone')} >= $2`,
      [now, afterDays],
    );
  }

  /** Active programmes in their phase for at least that phase's threshold; days = days in phase. */
  agingPhases(
    now: Date,
    thresholdDays: Partial<Record<Phase, number>>,
  ): Promise<(ReminderCandidate & { phase: string })[]> {
    return this.dataSource.query(
      `SELECT p.id || ':' || p.phase || ':' || to_char(p.phase_entered_at, 'YYYYMMDDHH24MISS') AS subject,
              p.id AS "programmeId", p.country_code AS "countryCode", p.title AS "programmeTitle", p.phase,
              ${countryDaysSinceSql('p.phase_entered_at', '$1', 'c.timezone')}::int AS days
       FROM programmes p JOIN countries c ON c.code = p.country_code
       JOIN jsonb_each_text($2::jsonb) AS threshold(phase, days) ON threshold.phase = p.phase
       WHERE p.status = 'active'
         AND ${countryDaysSinceSql('p.phase_entered_at', '$1', 'c.timezone')} >= threshold.days::int`,
      [now, JSON.stringify(thresholdDays)],
    );
  }

  /**
   * The latest validated maturity assessment of each active programme validated `afterMonths`
   * months ago or more; dueDate = when the next one fell due, days = 0.
   */
  reassessmentsDue(now: Date, afterMonths: number): Promise<ReminderCandidate[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (p.id) a.id AS subject, p.id AS "programmeId", p.country_code AS "countryCode",
              p.title AS "programmeTitle",
              to_char((a.validated_at AT TIME ZONE c.timezone) + make_interval(months => $2), 'YYYY-MM-DD') AS "dueDate",
              0 AS days
       FROM assessments a JOIN programmes p ON p.id = a.programme_id JOIN countries c ON c.code = p.country_code
       WHERE p.status = 'active' AND a.kind = 'maturity' AND a.status = 'validated'
         AND a.validated_at + make_interval(months => $2) <= $1::timestamptz
       ORDER BY p.id, a.validated_at DESC`,
      [now, afterMonths],
    );
  }
}
