import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import { type Page, paginate } from '../common/pagination.js';
import type { Phase } from '../programmes/programme.constants.js';
import type { MilestoneResponse, MilestonesQuery } from './dto/milestone.dto.js';
import { openMilestoneSql, overdueMilestoneSql } from './milestone.sql.js';
import { Milestone } from './milestone.entity.js';

/** The fields a PATCH may change, and their columns. */
const UPDATABLE_COLUMNS = {
  title: 'title',
  description: 'description',
  dueDate: 'due_date',
  status: 'status',
  ownerStakeholderId: 'owner_stakeholder_id',
  completedAt: 'completed_at',
} as const;

export type MilestoneChanges = Partial<Pick<Milestone, keyof typeof UPDATABLE_COLUMNS>>;

/** The INSERT of an audit event per updated row, its parameters numbered from `firstParameter`. */
export type AuditPerRow = (firstParameter: number) => { sql: string; parameters: unknown[] };

/**
 * The SQL of the milestones module, the one writer of `milestones`. Methods that join a
 * caller's transaction take its manager last.
 */
@Injectable()
export class MilestonesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertMany(milestones: DeepPartial<Milestone>[], manager: EntityManager): Promise<void> {
    await manager.insert(Milestone, milestones);
  }

  /** Inserts a new milestone and answers it as stored. */
  insert(fields: DeepPartial<Milestone>, manager: EntityManager): Promise<Milestone> {
    return manager.save(manager.create(Milestone, fields));
  }

  findById(id: string): Promise<Milestone | null> {
    return this.dataSource.getRepository(Milestone).findOne({ where: { id } });
  }

  /**
   * A page of a programme's milestones, by due date, with whether each is overdue at `at` in the
   * country's calendar (`timezone`).
   */
  page(
    programmeId: string,
    timezone: string,
    at: Date,
    query: MilestonesQuery,
  ): Promise<Page<MilestoneResponse>> {
    const params: unknown[] = [programmeId, timezone, at];
    const overdue = overdueMilestoneSql('m', '$2::text', '$3');
    const where = ['m.programme_id = $1'];
    if (query.phase) where.push(`m.phase = $${params.push(query.phase)}`);
    if (query.status) where.push(`m.status = $${params.push(query.status)}`);
    if (query.overdue === 'true') where.push(overdue);
    else if (query.overdue === 'false') where.push(`NOT ${overdue}`);
    return paginate<MilestoneResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT m.id, m.programme_id AS "programmeId", m.phase, m.title, m.plan_key AS "planKey", m.description,
                to_char(m.due_date, 'YYYY-MM-DD') AS "dueDate", m.status,
                m.owner_stakeholder_id AS "ownerStakeholderId", m.completed_at AS "completedAt",
                ${overdue} AS overdue, m.version, m.created_at AS "createdAt", m.updated_at AS "updatedAt"
         FROM milestones m WHERE ${where.join(' AND ')}`,
        orderBy: 'm.due_date, m.created_at, m.id',
      },
      params,
    );
  }

  /** The titles of a phase's open milestones, by due date and title. */
  findOpenTitles(
    programmeId: string,
    phase: Phase,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ title: string }[]> {
    return manager.query(
      `SELECT title FROM milestones
       WHERE programme_id = $1 AND phase = $2 AND ${openMilestoneSql()}
       ORDER BY due_date, title`,
      [programmeId, phase],
    );
  }

  /**
   * Applies `changes` in one statement if the milestone is still at `version` and its programme
   * is not cancelled, with the version up by one, `updated_at` set to `at`, and the audit event
   * of `audit` inserted for the updated row. Answers the ids written: none when the milestone
   * changed or its programme was cancelled in between.
   */
  updateAtVersion(
    id: string,
    version: number,
    programmeId: string,
    changes: MilestoneChanges,
    at: Date,
    audit: AuditPerRow,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<unknown[]> {
    const columns = Object.keys(changes) as (keyof typeof UPDATABLE_COLUMNS)[];
    const parameters: unknown[] = [id, version, programmeId, at];
    const assignments = columns.map((field) => {
      parameters.push(changes[field]);
      return `${UPDATABLE_COLUMNS[field]} = $${parameters.length}`;
    });
    const audited = audit(parameters.length + 1);
    return manager.query(
      `WITH open_programme AS (
         SELECT id FROM programmes WHERE id = $3 AND status <> 'cancelled' FOR SHARE
       ), updated AS (
         UPDATE milestones SET ${[...assignments, 'version = version + 1', 'updated_at = $4'].join(', ')}
         WHERE id = $1 AND version = $2 AND programme_id IN (SELECT id FROM open_programme)
         RETURNING id
       )
       ${audited.sql}
       RETURNING entity_id`,
      [...parameters, ...audited.parameters],
    );
  }
}
