import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles.js';

export const ACCESS_RULE = 'cirt:access-rule';

export type AccessRule = { public: true } | { public: false; roles: readonly Role[] };

/** Anyone, signed in or not (login, health). */
export const Public = () => SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);

/**
 * Signed-in users of these roles. Which countries they may touch is the policy service's
 * answer, asked by the service for each object.
 */
export const Roles = (...roles: readonly Role[]) =>
  SetMetadata(ACCESS_RULE, { public: false, roles } satisfies AccessRule);

export const BEFORE_PASSWORD_CHANGE = 'cirt:before-password-change';

/**
 * A route a user whose password someone else set may still use: what it takes to see who they
 * are, choose their own password, and sign out. Every other route refuses them until then.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE, true);
