import type { DataSource } from 'typeorm';
import type { Phase } from '../programmes/programme.constants.js';
import type { DemoCountry } from './demo-plan.js';

/**
 * What the demo loader reads to decide and to summarise: the tracked countries, whether its
 * users and any programme exist, and the portfolio it left. Reads only; the demo writes through
 * the services. Made by hand with the application's DataSource, as the loader runs from the CLI.
 */
export class DemoQuery {
  constructor(private readonly dataSource: DataSource) {}

  countries(): Promise<DemoCountry[]> {
    return this.dataSource.query(
      `SELECT code, names ->> 'en' AS name, region_code AS "regionCode", timezone FROM countries`,
    );
  }

  /** How many of these e-mails have users, and how many programmes there are. */
  async usersAndProgrammes(emails: string[]): Promise<{ users: number; programmes: number }> {
    const [counts] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM users WHERE email = ANY($1)) AS users,
              (SELECT count(*)::int FROM programmes) AS programmes`,
      [emails],
    );
    return counts;
  }

  /** Countries with a national programme, by the programme's phase; phases without any left out. */
  nationalCountriesPerPhase(): Promise<{ phase: Phase; countries: number }[]> {
    return this.dataSource.query(
      `SELECT phase, count(DISTINCT country_code)::int AS countries
       FROM programmes WHERE cirt_type = 'national' GROUP BY phase`,
    );
  }

  async programmeCount(): Promise<number> {
    const [{ programmes }] = await this.dataSource.query(
      'SELECT count(*)::int AS programmes FROM programmes',
    );
    return programmes;
  }
}
