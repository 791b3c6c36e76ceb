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
  /** The IANA zone the user chose for times on the pages; none: the browser's. */
  timezone: string | null;
  /** Someone else set the password: until the user replaces it, they may do nothing else. */
  passwordChangeRequired: boolean;
}

/** Who is acting and in which request: what services need to authorise and to audit. */
export interface Actor {
  user: Principal;
  requestId: string;
}
