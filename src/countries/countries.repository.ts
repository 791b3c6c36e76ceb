import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Locale } from '../messages/locales.js';
import type { CountryResponse, RegionResponse } from './dto/country.response.js';
import type { ReferenceCountry, ReferenceRegion } from './reference-data.js';

const COUNTRY_COLUMNS = `c.code, c.iso3, c.names ->> $1 AS name, c.region_code AS "regionCode",
  c.timezone, c.itu_member AS "ituMember"`;

/** The SQL of the reference data: regions and countries. */
@Injectable()
export class CountriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listRegions(lang: Locale): Promise<RegionResponse[]> {
    return this.dataSource.query(
      `SELECT r.code, r.names ->> $1 AS name, count(c.code)::int AS "countryCount"
       FROM regions r LEFT JOIN countries c ON c.region_code = r.code
       GROUP BY r.code ORDER BY r.code`,
      [lang],
    );
  }

  listCountries(lang: Locale, regionCode?: string): Promise<CountryResponse[]> {
    return this.dataSource.query(
      `SELECT ${COUNTRY_COLUMNS} FROM countries c
       WHERE $2::text IS NULL OR c.region_code = $2
       ORDER BY c.code`,
      [lang, regionCode ?? null],
    );
  }

  async findRef(
    code: string,
  ): Promise<{ code: string; regionCode: string; timezone: string } | null> {
    const [country] = await this.dataSource.query(
      `SELECT code, region_code AS "regionCode", timezone FROM countries WHERE code = $1`,
      [code],
    );
    return country ?? null;
  }

  async findCountry(code: string, lang: Locale): Promise<CountryResponse | null> {
    const [country] = await this.dataSource.query(
      `SELECT ${COUNTRY_COLUMNS} FROM countries c WHERE c.code = $2`,
      [lang, code],
    );
    return country ?? null;
  }

  /** Whether the country is tracked, read in the caller's transaction. */
  async isTracked(
    code: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [country] = await manager.query('SELECT 1 FROM countries WHERE code = $1', [code]);
    return country !== undefined;
  }

  /** Inserts the regions that are missing; those that exist are left as they are. */
  async insertMissingRegions(
    regions: ReferenceRegion[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO regions (code, names, timezone)
       SELECT code, names, timezone FROM jsonb_to_recordset($1::jsonb) AS r(code text, names jsonb, timezone text)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(regions)],
    );
  }

  /** Inserts the countries that are missing; those that exist are left as they are. */
  async insertMissingCountries(
    countries: ReferenceCountry[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO countries (code, iso3, region_code, itu_member, timezone, names)
       SELECT code, iso3, "regionCode", "ituMember", timezone, names
       FROM jsonb_to_recordset($1::jsonb)
         AS c(code text, iso3 text, "regionCode" text, "ituMember" boolean, timezone text, names jsonb)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(countries)],
    );
  }
}
