import { createHmac, timingSafeEqual } from 'node:crypto';

/** The pages' session: the login access token in an httpOnly, SameSite cookie. */
export const SESSION_COOKIE = 'cirt_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of a session: an HMAC of the session token, so it needs no storage and changes
 * with each sign-in. Pages put it in a meta tag; their scripts send it as a header, which a
 * cross-site form cannot do.
 */
export function csrfTokenFor(sessionToken: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

export function isValidCsrfToken(sessionToken: string, secret: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken, secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
