import type { TestApp } from '../support/test-app.js';
import { bearer } from '../support/test-app.js';

/** The token at the end of the link of the newest invitation e-mail to this address. */
export async function invitationTokenFor(t: TestApp, email: string): Promise<string> {
  const [row] = (await t.dataSource.query(
    `SELECT body_text FROM notifications WHERE kind = 'invitation' AND recipient = $1
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [email],
  )) as { body_text: string }[];
  const match = /\/invitation\/([\w-]+)/.exec(row?.body_text ?? '');
  if (!match) throw new Error(`no invitation e-mail to ${email}`);
  return match[1];
}

let invited = 0;

/**
 * A user invited through the API by `inviter` (an admin), with the token of their e-mail's link.
 */
export async function createInvitedUser(
  t: TestApp,
  inviter: { id: string },
  values: { role?: string; countryCode?: string; locale?: string; displayName?: string } = {},
): Promise<{ id: string; email: string; token: string }> {
  invited += 1;
  const email = `invited.${invited}.${Math.random().toString(36).slice(2, 8)}@example.org`;
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(await t.tokenFor(inviter)),
    payload: {
      email,
      displayName: values.displayName ?? 'Invited Person',
      role: values.role ?? 'observer',
      ...(values.countryCode ? { countryCode: values.countryCode } : {}),
      ...(values.locale ? { locale: values.locale } : {}),
      invite: true,
    },
  });
  if (response.statusCode !== 201) throw new Error(`invite: ${response.body}`);
  return { id: response.json().id, email, token: await invitationTokenFor(t, email) };
}
