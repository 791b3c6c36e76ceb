import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';

export interface ProgrammeChoice {
  id: string;
  title: string;
  countryName: string;
}

/**
 * The programmes the delivery log can be filtered by: those with messages in the log, of the
 * countries the user reads (cancelled ones too: their messages stay), and the one chosen; by
 * country name in the page's language. A programme no message went to would only filter the log
 * down to nothing, and the whole portfolio's list would weigh on every visit of the page.
 */
@Injectable()
export class NotificationFiltersQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  programmes(user: Principal, lang: string, chosen?: string): Promise<ProgrammeChoice[]> {
    const params: unknown[] = [lang, chosen ?? null];
    const scope = this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'c.code', region: 'c.region_code' },
      params,
    );
    // One probe of notifications_programme_idx per programme in scope.
    return this.dataSource.query(
      `SELECT p.id, p.title, coalesce(c.names ->> $1, c.names ->> 'en') AS "countryName"
       FROM programmes p JOIN countries c ON c.code = p.country_code
       WHERE ${scope}
         AND (p.id = $2 OR EXISTS (SELECT 1 FROM notifications n WHERE n.programme_id = p.id))
       ORDER BY 3, p.title, p.id`,
      params,
    );
  }
}
