import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  LatestAssessment,
  LatestStatusUpdate,
  PendingTransitionSummary,
} from './dto/programme.dto.js';

/**
 * What a programme's page shows beside the list's figures (ProgrammeListQuery.one): its latest
 * status update, its latest assessment of each kind and its pending transition. A read model
 * across the tables of status updates, assessments and programmes; it never writes.
 */
@Injectable()
export class ProgrammeDetailQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async latestStatusUpdate(programmeId: string): Promise<Required<LatestStatusUpdate> | undefined> {
    const [latest] = await this.dataSource.query(
      `SELECT id, health, summary, next_steps AS "nextSteps", author_id AS "authorId", created_at AS "createdAt"
       FROM status_updates WHERE programme_id = $1 ORDER BY seq DESC LIMIT 1`,
      [programmeId],
    );
    return latest;
  }

  latestAssessments(programmeId: string): Promise<LatestAssessment[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (kind) id, template_key AS "templateKey", template_version AS "templateVersion",
              kind, status, overall_score::float AS score, band, created_at AS "createdAt",
              validated_at AS "validatedAt"
       FROM assessments WHERE programme_id = $1 ORDER BY kind, created_at DESC`,
      [programmeId],
    );
  }

  async pendingTransition(programmeId: string): Promise<PendingTransitionSummary | undefined> {
    const [pending] = await this.dataSource.query(
      `SELECT id, from_phase AS "fromPhase", to_phase AS "toPhase", requested_by AS "requestedBy",
              requested_at AS "requestedAt", note, gate_at_request AS gate
       FROM phase_transitions WHERE programme_id = $1 AND status = 'pending'`,
      [programmeId],
    );
    return pending;
  }
}
