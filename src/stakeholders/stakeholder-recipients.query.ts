import type { EntityManager } from 'typeorm';

/** A stakeholder who takes notifications, as reminders and event notifications address them. */
export interface StakeholderRecipient {
  id: string;
  countryCode: string;
  name: string;
  email: string;
  role: string;
  locale: string;
  /** The stakeholder's own time zone, else the country's. */
  timezone: string;
  webhookUrl: string | null;
  countryName: string;
}

/**
 * The stakeholders who take notifications in these countries, with the country's name in their
 * language: a read model over stakeholders and countries, run in the caller's transaction.
 */
export async function stakeholderRecipients(
  manager: EntityManager,
  countryCodes: string[],
): Promise<StakeholderRecipient[]> {
  if (countryCodes.length === 0) return [];
  return manager.query(
    `SELECT s.id, s.country_code AS "countryCode", s.name, s.email, s.role, s.locale,
            coalesce(s.timezone, c.timezone) AS timezone, s.webhook_url AS "webhookUrl",
            coalesce(c.names ->> s.locale, c.names ->> 'en') AS "countryName"
     FROM stakeholders s JOIN countries c ON c.code = s.country_code
     WHERE s.country_code = ANY($1) AND s.removed_at IS NULL AND s.notify`,
    [countryCodes],
  );
}
