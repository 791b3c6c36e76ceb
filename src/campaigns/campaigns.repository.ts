import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CirtType } from '../programmes/programme.constants.js';
import type { CampaignStatus } from './campaign.constants.js';

/** A campaign's row as launched. */
export interface CampaignRow {
  id: string;
  title: string;
  templateKey: string;
  templateVersion: string;
  regionCode: string | null;
  countryCodes: string[] | null;
  cirtType: CirtType | null;
  dueDate: string;
  status: CampaignStatus;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
  closedBy: string | null;
}

export const CAMPAIGN_COLUMNS = `k.id, k.title, k.template_key AS "templateKey",
  k.template_version AS "templateVersion", k.region_code AS "regionCode",
  k.country_codes AS "countryCodes", k.cirt_type AS "cirtType",
  to_char(k.due_date, 'YYYY-MM-DD') AS "dueDate", k.status, k.created_by AS "createdBy",
  k.created_at AS "createdAt", k.closed_at AS "closedAt", k.closed_by AS "closedBy"`;

/** The campaigns module's SQL, and the only writer of `assessment_campaigns`. */
@Injectable()
export class CampaignsRepository {
  async insert(
    campaign: Pick<
      CampaignRow,
      | 'title'
      | 'templateKey'
      | 'templateVersion'
      | 'regionCode'
      | 'countryCodes'
      | 'cirtType'
      | 'dueDate'
      | 'createdBy'
      | 'createdAt'
    >,
    manager: EntityManager,
  ): Promise<CampaignRow> {
    const [row] = await manager.query(
      `INSERT INTO assessment_campaigns AS k (title, template_key, template_version, region_code,
         country_codes, cirt_type, due_date, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${CAMPAIGN_COLUMNS}`,
      [
        campaign.title,
        campaign.templateKey,
        campaign.templateVersion,
        campaign.regionCode,
        campaign.countryCodes,
        campaign.cirtType,
        campaign.dueDate,
        campaign.createdBy,
        campaign.createdAt,
      ],
    );
    return row;
  }

  /** The campaign, locked until the caller's transaction ends; undefined if there is none. */
  async findForUpdate(id: string, manager: EntityManager): Promise<CampaignRow | undefined> {
    const [row] = await manager.query(
      `SELECT ${CAMPAIGN_COLUMNS} FROM assessment_campaigns k WHERE k.id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async close(id: string, by: string, at: Date, manager: EntityManager): Promise<CampaignRow> {
    // An UPDATE answers [rows, count].
    const [[row]] = await manager.query(
      `UPDATE assessment_campaigns AS k SET status = 'closed', closed_at = $2, closed_by = $3
       WHERE k.id = $1 RETURNING ${CAMPAIGN_COLUMNS}`,
      [id, at, by],
    );
    return row;
  }
}
