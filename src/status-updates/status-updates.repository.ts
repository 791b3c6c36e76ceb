import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import { type Page, type PageQuery, paginate } from '../common/pagination.js';
import type { StatusUpdateResponse } from './dto/status-update.dto.js';
import { StatusUpdate } from './status-update.entity.js';

/** The SQL of the status-updates module, the one writer of `status_updates`. */
@Injectable()
export class StatusUpdatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of a programme's status updates, newest first. */
  page(programmeId: string, query: PageQuery): Promise<Page<StatusUpdateResponse>> {
    return paginate<StatusUpdateResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT s.id, s.programme_id AS "programmeId", s.health, s.summary, s.next_steps AS "nextSteps",
                s.author_id AS "authorId", s.created_at AS "createdAt"
         FROM status_updates s WHERE s.programme_id = $1`,
        orderBy: 's.seq DESC',
      },
      [programmeId],
    );
  }

  /** Inserts a new status update and answers it as stored; in the caller's transaction. */
  insert(fields: DeepPartial<StatusUpdate>, manager: EntityManager): Promise<StatusUpdate> {
    return manager.save(manager.create(StatusUpdate, fields));
  }
}
