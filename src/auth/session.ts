import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The pages' session: the login access token in an httpOnly, SameSite cookie. Served over https it
 * is a `__Host-` cookie, which browsers keep only when Secure, for this exact host and path /, so
 * neither a sibling subdomain nor a plain-http page can set or overwrite it.
 */
export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? '__Host-cirt_session' : 'cirt_session';
}

export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of a session: an HMAC of the session token under a key of its own, so it needs
 * no storage and changes with each sign-in. Pages put it in a meta tag and forms; their scripts
 * send it as a header, which a cross-site form cannot do.
 */
export function csrfTokenFor(sessionToken: string, key: Buffer): string {
  return createHmac('sha256', key).update(`csrf:${sessionToken}`).digest('base64url');
}

export function isValidCsrfToken(sessionToken: string, key: Buffer, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken, key));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
