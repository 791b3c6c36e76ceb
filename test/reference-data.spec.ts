import { createUser } from './factories/users.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';

describe('reference data', () => {
  let t: TestApp;
  let get: (url: string) => ReturnType<TestApp['app']['inject']>;

  beforeAll(async () => {
    t = await startTestApp();
    const headers = bearer(await t.tokenFor(await createUser(t.dataSource, { role: 'observer' })));
    get = (url) => t.app.inject({ method: 'GET', url, headers });
  });
  afterAll(() => t.close());

  it('should hold the 193 ITU member states in their regions plus PS and PW as non-members', async () => {
    const rows: { region_code: string; members: number; others: string[] }[] =
      await t.dataSource.query(
        `SELECT region_code, count(*) FILTER (WHERE itu_member)::int AS members,
              coalesce(array_agg(code) FILTER (WHERE NOT itu_member), '{}') AS others
       FROM countries GROUP BY region_code ORDER BY region_code`,
      );
    expect(rows).toEqual([
      { region_code: 'AFR', members: 44, others: [] },
      { region_code: 'AMS', members: 35, others: [] },
      { region_code: 'ARB', members: 21, others: ['PS'] },
      { region_code: 'ASP', members: 38, others: ['PW'] },
      { region_code: 'CIS', members: 9, others: [] },
      { region_code: 'EUR', members: 46, others: [] },
    ]);
  });

  it('should give every country an alpha-3 code, a valid IANA zone and names in six languages', async () => {
    const countries: {
      code: string;
      iso3: string;
      timezone: string;
      names: Record<string, string>;
    }[] = await t.dataSource.query(`SELECT code, iso3, timezone, names FROM countries`);
    expect(countries).toHaveLength(195);
    for (const country of countries) {
      expect(country.iso3).toMatch(/^[A-Z]{3}$/);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: country.timezone })).not.toThrow();
      expect(Object.keys(country.names).sort()).toEqual(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
    }
  });

  it('should list regions with their country counts in the asked language', async () => {
    const response = await get('/api/v1/regions?lang=es');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toContainEqual({
      code: 'ARB',
      name: 'Estados Árabes',
      countryCount: 22,
    });
    expect(response.json()).toHaveLength(6);
  });

  it('should filter countries by region and name them in the asked language', async () => {
    const response = await get('/api/v1/countries?region=CIS&lang=fr');
    expect(response.statusCode).toBe(200);
    const countries = response.json();
    expect(countries.map((c: { code: string }) => c.code)).toEqual([
      'AM',
      'AZ',
      'BY',
      'KG',
      'KZ',
      'RU',
      'TJ',
      'TM',
      'UZ',
    ]);
    expect(countries).toContainEqual({
      code: 'RU',
      iso3: 'RUS',
      name: 'Russie',
      regionCode: 'CIS',
      timezone: 'Europe/Moscow',
      ituMember: true,
    });
  });

  it('should answer one country, in any letter case, and a non-member flagged as such', async () => {
    const response = await get('/api/v1/countries/ps?lang=ar');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      code: 'PS',
      iso3: 'PSE',
      regionCode: 'ARB',
      ituMember: false,
    });
    expect(response.json().name).toMatch(/[\u0600-\u06FF]/);
  });

  it('should answer 404 problem+json for a country that is not tracked', async () => {
    const response = await get('/api/v1/countries/ZZ');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it.each([
    ['an unknown region', '/api/v1/countries?region=XYZ', 'region'],
    ['an unknown language', '/api/v1/countries?lang=de', 'lang'],
    ['an unknown query field', '/api/v1/countries?colour=red', 'colour'],
    ['a repeated query field', '/api/v1/regions?lang=en&lang=fr', 'lang'],
    ['a malformed country code', '/api/v1/countries/K3', 'code'],
  ])('should answer 400 problem+json naming the field for %s', async (_case, url, field) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
