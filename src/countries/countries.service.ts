import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../common/domain-error.js';
import type { Locale } from '../common/locales.js';
import type { CountryResponse, RegionResponse } from './dto/country.response.js';

const COUNTRY_COLUMNS = `c.code, c.iso3, c.names ->> $1 AS name, c.region_code AS "regionCode",
  c.timezone, c.itu_member AS "ituMember"`;

@Injectable()
export class CountriesService {
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

  /** Code and region of a tracked country, for scope checks; 404 when it is not tracked. */
  async getRef(code: string): Promise<{ code: string; regionCode: string; timezone: string }> {
    const [country] = await this.dataSource.query(
      `SELECT code, region_code AS "regionCode", timezone FROM countries WHERE code = $1`,
      [code],
    );
    if (!country) throw notFound(`Country ${code}`);
    return country;
  }

  async getCountry(code: string, lang: Locale): Promise<CountryResponse> {
    const [country] = await this.dataSource.query(
      `SELECT ${COUNTRY_COLUMNS} FROM countries c WHERE c.code = $2`,
      [lang, code],
    );
    if (!country) throw notFound(`Country ${code}`);
    return country;
  }
}
