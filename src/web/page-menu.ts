import type { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';

/** An entry of the layout's menu: a page this user may open, and its label's catalog key. */
export interface MenuEntry {
  href: string;
  label: string;
  /** The decisions waiting there, said beside the label: My queue's, when there are any. */
  waiting?: number;
}

/**
 * The pages a user may open, in menu order. Each entry asks the same right as its page's route
 * (@Roles), so the menu never leads to a page that answers 403. `decisionsWaiting` is the count
 * My queue shows, for those who have it (see `showsDecisionsWaiting`).
 */
export function menuFor(
  policy: AccessPolicy,
  user: Principal,
  decisionsWaiting?: number,
): MenuEntry[] {
  // Until they choose their own password, their account page is the only one they may open.
  if (user.passwordChangeRequired) return [];
  const scope = policy.readScope(user);
  const entries: (MenuEntry | false)[] = [
    policy.mayRead(user, 'portfolio') && { href: '/app/portfolio', label: 'portfolio' },
    showsDecisionsWaiting(policy, user) && {
      href: '/app/queue',
      label: 'myQueue',
      ...(decisionsWaiting ? { waiting: decisionsWaiting } : {}),
    },
    scope.kind === 'country' && {
      href: `/app/countries/${scope.countryCode}`,
      label: 'myCountry',
    },
    policy.mayRead(user, 'campaigns') && { href: '/app/campaigns', label: 'campaigns' },
    policy.mayRead(user, 'reports') && { href: '/app/reports', label: 'reports' },
    policy.mayRead(user, 'notifications') && {
      href: '/app/notifications',
      label: 'notifications',
    },
    policy.mayRead(user, 'audit') && { href: '/app/audit', label: 'audit' },
    policy.mayDo(user, 'manageUsers') && { href: '/app/users', label: 'users' },
  ];
  return entries.filter((entry) => entry !== false);
}

/** Whether the user's menu has My queue, and so its count of decisions waiting. */
export function showsDecisionsWaiting(policy: AccessPolicy, user: Principal): boolean {
  return policy.mayDo(user, 'decideTransitions');
}

/** Where a user starts: the portfolio for those who follow many countries, else their country. */
export function homeFor(policy: AccessPolicy, user: Principal): string {
  return policy.mayRead(user, 'portfolio')
    ? '/app/portfolio'
    : `/app/countries/${user.countryCode}`;
}
