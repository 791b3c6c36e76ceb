import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryMode, EventKind } from './event-kinds.js';

/** Users who hear of an event: by role in the event's scope, or as the user it concerns. */
export type UserAudience = 'itu_pm' | 'regional_coordinator' | 'national_team' | 'concerned';

/** A user an event reaches, with their mode for its kind. */
export interface UserRecipient {
  id: string;
  email: string;
  name: string;
  locale: string;
  mode: DeliveryMode;
  countryName: string | null;
}

/**
 * Who hears of an event and what it is about: a read model over programmes, users, countries and
 * the users' notification preferences, run in the transaction of the change that caused it.
 */
@Injectable()
export class EventAudienceQuery {
  /** The programme's title and country; undefined if there is no such programme. */
  async programme(
    programmeId: string,
    manager: EntityManager,
  ): Promise<{ title: string; countryCode: string } | undefined> {
    const [programme] = await manager.query(
      `SELECT title, country_code AS "countryCode" FROM programmes WHERE id = $1`,
      [programmeId],
    );
    return programme;
  }

  /**
   * The enabled users in the audience of an event of `kind` in the country (none: only the user
   * concerned), each with their mode for the kind; never the actor.
   */
  users(
    event: {
      kind: EventKind;
      countryCode: string | null;
      actorId: string | null;
      concernedUserId: string | null;
    },
    audience: UserAudience[],
    manager: EntityManager,
  ): Promise<UserRecipient[]> {
    return manager.query(
      `SELECT u.id, u.email, u.display_name AS name, u.locale,
              coalesce(p.modes ->> $1, 'immediate') AS mode,
              coalesce(c.names ->> u.locale, c.names ->> 'en') AS "countryName"
       FROM users u
       LEFT JOIN notification_preferences p ON p.user_id = u.id
       LEFT JOIN countries c ON c.code = $2::text
       WHERE NOT u.disabled AND u.id IS DISTINCT FROM $3::uuid
         AND ((u.id = $4::uuid AND 'concerned' = ANY($5::text[]))
           OR (u.role = 'itu_pm' AND 'itu_pm' = ANY($5::text[]))
           OR (u.role = 'regional_coordinator' AND u.region_code = c.region_code
               AND 'regional_coordinator' = ANY($5::text[]))
           OR (u.role = 'national_team' AND u.country_code = c.code AND 'national_team' = ANY($5::text[])))
       ORDER BY u.id`,
      [event.kind, event.countryCode, event.actorId, event.concernedUserId, audience],
    );
  }
}
