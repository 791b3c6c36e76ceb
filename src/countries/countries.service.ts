import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/domain-error.js';
import type { Locale } from '../messages/locales.js';
import { CountriesRepository } from './countries.repository.js';
import type { CountryResponse, RegionResponse } from './dto/country.response.js';

@Injectable()
export class CountriesService {
  constructor(private readonly repository: CountriesRepository) {}

  listRegions(lang: Locale): Promise<RegionResponse[]> {
    return this.repository.listRegions(lang);
  }

  listCountries(lang: Locale, regionCode?: string): Promise<CountryResponse[]> {
    return this.repository.listCountries(lang, regionCode);
  }

  /** Code and region of a tracked country, for scope checks; 404 when it is not tracked. */
  async getRef(code: string): Promise<{ code: string; regionCode: string; timezone: string }> {
    const country = await this.repository.findRef(code);
    if (!country) throw notFound(`Country ${code}`);
    return country;
  }

  async getCountry(code: string, lang: Locale): Promise<CountryResponse> {
    const country = await this.repository.findCountry(code, lang);
    if (!country) throw notFound(`Country ${code}`);
    return country;
  }

  /** Whether the country is tracked, in the caller's transaction when it passes its manager. */
  isTracked(code: string, manager?: EntityManager): Promise<boolean> {
    return this.repository.isTracked(code, manager);
  }
}
