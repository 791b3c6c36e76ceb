import type { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';

/** An entry of the layout's menu: a page this user may open, and its label's catalog key. */
export interface MenuEntry {
  href: string;
  label: string;
}

/**
 * The pages a user may open, in menu order. Each entry asks the same right as its page's route
 * (@Roles), so the menu never leads to a page that answers 403.
 */
export function menuFor(policy: AccessPolicy, user: Principal): MenuEntry[] {
  const scope = policy.readScope(user);
  const entries: (MenuEntry | false)[] = [
    policy.mayRead(user, 'portfolio') && { href: '/app/portfolio', label: 'portfolio' },
    policy.mayDo(user, 'decideTransitions') && { href: '/app/queue', label: 'myQueue' },
    scope.kind === 'country' && {
      href: `/app/countries/${scope.countryCode}`,
      label: 'myCountry',
    },
    policy.mayRead(user, 'reports') && { href: '/app/reports', label: 'reports' },
    policy.mayRead(user, 'notifications') && {
      href: '/app/notifications',
      label: 'notifications',
    },
  ];
  return entries.filter((entry) => entry !== false);
}

/** Where a user starts: the portfolio for those who follow many countries, else their country. */
export function homeFor(policy: AccessPolicy, user: Principal): string {
  return policy.mayRead(user, 'portfolio')
    ? '/app/portfolio'
    : `/app/countries/${user.countryCode}`;
}
