import type { EntityManager } from 'typeorm';

/** A user a reminder reaches as a member of a country's team or of its region's coordination. */
export interface UserRecipient {
  id: string;
  /** The country the reminder is about, which the user works on. */
  countryCode: string;
  role: 'national_team' | 'regional_coordinator';
  name: string;
  email: string;
  locale: string;
  /** The user's own time zone, else the country's. */
  timezone: string;
  countryName: string;
}

/**
 * The enabled national team users of these countries and the coordinators of their regions, once
 * per country, with the country's name in their language: a read model over users and countries.
 */
export async function userRecipients(
  manager: EntityManager,
  countryCodes: string[],
): Promise<UserRecipient[]> {
  if (countryCodes.length === 0) return [];
  return manager.query(
    `SELECT u.id, c.code AS "countryCode", u.role, u.display_name AS name, u.email, u.locale,
            coalesce(u.timezone, c.timezone) AS timezone,
            coalesce(c.names ->> u.locale, c.names ->> 'en') AS "countryName"
     FROM countries c JOIN users u
       ON (u.role = 'national_team' AND u.country_code = c.code)
       OR (u.role = 'regional_coordinator' AND u.region_code = c.region_code)
     WHERE c.code = ANY($1) AND NOT u.disabled`,
    [countryCodes],
  );
}
