/** The kinds of users of the product (docs/domain.md §3). */
export const ROLES = [
  'admin',
  'itu_pm',
  'regional_coordinator',
  'national_team',
  'observer',
] as const;
export type Role = (typeof ROLES)[number];

/** Every signed-in user, whatever their role. */
export const ANY_ROLE: readonly Role[] = ROLES;

/** The authenticated caller, as every service sees it. */
export interface Principal {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  countryCode: string | null;
  regionCode: string | null;
  locale: string;
}

/** Who is acting and in which request: what services need to authorise and to audit. */
export interface Actor {
  user: Principal;
  requestId: string;
}
