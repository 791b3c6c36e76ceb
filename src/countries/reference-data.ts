import ct from 'countries-and-timezones';
import isoCountries from 'i18n-iso-countries';
import type { EntityManager } from 'typeorm';
import { LOCALES, type LocalisedNames } from '../messages/locales.js';
import { CountriesRepository } from './countries.repository.js';
import countrySeed from './seed/countries.json' with { type: 'json' };
import regionSeed from './seed/regions.json' with { type: 'json' };

interface CountrySeed {
  code: string;
  region: string;
  ituMember: boolean;
  /** The capital's zone, for countries that span several. */
  timezone?: string;
}

export interface ReferenceRegion {
  code: string;
  names: LocalisedNames;
  timezone: string;
}

export interface ReferenceCountry {
  code: string;
  iso3: string;
  regionCode: string;
  ituMember: boolean;
  timezone: string;
  names: LocalisedNames;
}

function countryTimezone(seed: CountrySeed): string {
  const zones: string[] = ct.getCountry(seed.code)?.timezones ?? [];
  const zone = seed.timezone ?? (zones.length === 1 ? zones[0] : undefined);
  if (!zone || !zones.includes(zone)) {
    throw new Error(
      `Reference data: no time zone of ${seed.code} fits (known: ${zones.join(', ')})`,
    );
  }
  return zone;
}

/** The seed file completed with the names, alpha-3 codes and zones that libraries know. */
export function referenceCountries(): ReferenceCountry[] {
  return (countrySeed as CountrySeed[]).map((seed) => {
    const iso3 = isoCountries.alpha2ToAlpha3(seed.code);
    if (!iso3) throw new Error(`Reference data: ${seed.code} is not an ISO 3166-1 code`);
    const names = Object.fromEntries(
      LOCALES.map((locale) => [locale, isoCountries.getName(seed.code, locale) ?? seed.code]),
    ) as LocalisedNames;
    return {
      code: seed.code,
      iso3,
      regionCode: seed.region,
      ituMember: seed.ituMember,
      timezone: countryTimezone(seed),
      names,
    };
  });
}

/**
 * Inserts the regions and countries that are missing. Rows that exist are left alone: the
 * region mapping is data an administrator may change, and a restart must not undo that.
 */
export async function loadReferenceData(manager: EntityManager): Promise<void> {
  // Runs before the application (and its dependency injection) starts: the repository is made here.
  const repository = new CountriesRepository(manager.dataSource);
  await repository.insertMissingRegions(regionSeed as ReferenceRegion[], manager);
  await repository.insertMissingCountries(referenceCountries(), manager);
}
