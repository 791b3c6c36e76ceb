import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/roles.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  countryCode: string | null;
  regionCode: string | null;
}

export async function createUser(
  dataSource: DataSource,
  values: {
    role: Role;
    countryCode?: string;
    regionCode?: string;
    email?: string;
    disabled?: boolean;
  },
): Promise<TestUser> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const email = values.email ?? `${values.role}.${randomBytes(4).toString('hex')}@example.org`;
  const [user] = await dataSource.query(
    `INSERT INTO users (email, display_name, role, country_code, region_code, password_hash, disabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, email, role, country_code AS "countryCode", region_code AS "regionCode"`,
    [
      email,
      `Test ${values.role}`,
      values.role,
      values.countryCode ?? null,
      values.regionCode ?? null,
      await testPasswordHash,
      values.disabled ?? false,
    ],
  );
  return user;
}

/** One user of each role: the five columns of every access table. */
export async function createStaff(dataSource: DataSource) {
  return {
    admin: await createUser(dataSource, { role: 'admin' }),
    itu_pm: await createUser(dataSource, { role: 'itu_pm' }),
    regional_coordinator: await createUser(dataSource, {
      role: 'regional_coordinator',
      regionCode: 'AFR',
    }),
    national_team: await createUser(dataSource, { role: 'national_team', countryCode: 'KE' }),
    observer: await createUser(dataSource, { role: 'observer' }),
  };
}

export type Staff = Awaited<ReturnType<typeof createStaff>>;
