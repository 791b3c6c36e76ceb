import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';

/** A user a report schedule's form offers as a recipient. */
export interface RecipientChoice {
  email: string;
  displayName: string;
}

/**
 * The people a schedule's form offers as recipients: the registered users who are not disabled
 * (those the schedule service takes without a domain rule), as far as the reader sees people. The
 * ITU team sees everyone; a coordinator the people of their region (coordinators of the region,
 * national teams of its countries); nobody else schedules reports.
 */
@Injectable()
export class ReportRecipientsQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  async choicesFor(user: Principal): Promise<RecipientChoice[]> {
    const scope = this.policy.readScope(user);
    if (scope.kind !== 'all' && scope.kind !== 'region') return [];
    const region = scope.kind === 'region' ? scope.regionCode : null;
    return this.dataSource.query(
      `SELECT u.email, u.display_name AS "displayName" FROM users u
       WHERE NOT u.disabled
         AND ($1::text IS NULL OR u.region_code = $1
              OR u.country_code IN (SELECT c.code FROM countries c WHERE c.region_code = $1))
       ORDER BY lower(u.display_name), lower(u.email)`,
      [region],
    );
  }
}
