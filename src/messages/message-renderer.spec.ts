import ar from './emails/ar.json' with { type: 'json' };
import en from './emails/en.json' with { type: 'json' };
import es from './emails/es.json' with { type: 'json' };
import fr from './emails/fr.json' with { type: 'json' };
import ru from './emails/ru.json' with { type: 'json' };
import zh from './emails/zh.json' with { type: 'json' };
import {
  MESSAGE_KINDS,
  type MessageParams,
  renderDigest,
  renderInvitation,
  renderMessage,
} from './message-renderer.js';
import { LOCALES } from './locales.js';

const catalogs: Record<string, Record<string, string>> = { en, fr, es, ar, ru, zh };

const params: MessageParams = {
  recipientName: 'Amina Diallo',
  countryName: 'Senegal',
  programmeTitle: 'National CIRT 2026',
  url: 'https://cirt.example.org/programmes/42',
  milestoneTitle: 'Legal framework adopted',
  campaignTitle: 'AFR readiness 2027',
  dueDate: '2026-09-30',
  days: 5,
  phase: 'planning',
  contactName: 'Jean Martin',
  contactEmail: 'jean.martin@example.org',
  actorName: 'Li Wei',
  scope: 'Region AFR',
  note: 'Well done',
};

describe(renderMessage.name, () => {
  it('should have the keys of en.json and no empty value when any catalog is loaded', () => {
    const keys = Object.keys(en).sort();
    for (const locale of LOCALES) {
      const catalog = catalogs[locale];
      expect(Object.keys(catalog).sort()).toEqual(keys);
      for (const value of Object.values(catalog)) expect(value.trim()).not.toBe('');
      if (locale !== 'en') expect(catalog['test.body']).not.toBe(en['test.body']);
    }
  });

  it('should know every reminder rule and event kind as a message kind', () => {
    expect(MESSAGE_KINDS).toEqual(
      expect.arrayContaining([
        'milestone_due_soon',
        'milestone_overdue',
        'transition_waiting',
        'status_update_stale',
        'assessment_draft_stale',
        'phase_aging',
        'reassessment_due',
        'campaign_due_soon',
        'campaign_overdue',
        'test',
        'transition_requested',
        'transition_approved',
        'transition_rejected',
        'assessment_submitted',
        'assessment_returned',
        'assessment_validated',
        'milestone_blocked',
        'status_off_track',
        'report_completed',
      ]),
    );
  });

  it('should render without leftover placeholders when any kind is rendered in any locale', () => {
    for (const locale of LOCALES) {
      for (const kind of MESSAGE_KINDS) {
        const message = renderMessage(kind, locale, params);
        for (const part of [message.subject, message.text, message.html]) {
          expect(part).not.toMatch(/[{}]|undefined/);
        }
        expect(message.text).toContain(params.url);
        expect(message.text).toContain(params.countryName);
      }
    }
  });

  it('should render every event kind for users, with the note, in any locale', () => {
    for (const locale of LOCALES) {
      for (const kind of MESSAGE_KINDS) {
        const message = renderMessage(kind, locale, params, 'user');
        for (const part of [message.subject, message.text, message.html]) {
          expect(part).not.toMatch(/[{}]|undefined/);
        }
        expect(message.text).toContain(params.url);
        expect(message.text).toContain('Well done');
      }
    }
  });

  it('should tell a team member why a reminder reaches them, in any locale', () => {
    for (const locale of LOCALES) {
      const message = renderMessage('campaign_overdue', locale, params, 'member');
      expect(message.text).toContain(params.campaignTitle);
      expect(message.text).toContain(params.countryName);
      expect(message.text).toContain(catalogs[locale]['common.footer_member'].split('{')[0]);
    }
  });

  it('should list each entry of a digest with its link, and count them in the subject', () => {
    const entries = [
      { subject: 'Phase change requested: A', url: 'https://cirt.example.org/programmes/1' },
      { subject: 'Milestone blocked: B', url: 'https://cirt.example.org/programmes/2' },
    ];
    const digest = renderDigest('en', { recipientName: 'Li Wei', date: '2027-03-02', entries });
    expect(digest.subject).toBe('Your cirt-tracker digest of Mar 2, 2027: 2 events');
    expect(digest.text).toContain('• Milestone blocked: B: https://cirt.example.org/programmes/2');
    expect(digest.html).toContain('<a href="https://cirt.example.org/programmes/1">');
    for (const locale of LOCALES) {
      const rendered = renderDigest(locale, {
        recipientName: 'Li Wei',
        date: '2027-03-02',
        entries,
      });
      expect(`${rendered.subject}${rendered.text}`).not.toMatch(/[{}]|undefined/);
    }
  });

  it('should use the English plural forms when days is 0, 1 or 5', () => {
    const due = (days: number) => renderMessage('milestone_due_soon', 'en', { ...params, days });
    expect(due(0).subject).toBe('Milestone due today: Legal framework adopted');
    expect(due(1).text).toContain('is due in 1 day, on Sep 30, 2026');
    expect(due(5).text).toContain('is due in 5 days, on Sep 30, 2026');
    expect(renderMessage('milestone_overdue', 'en', { ...params, days: 1 }).text).toContain(
      'is now 1 day overdue',
    );
  });

  it('should use different Russian plural forms when days is 2 and when it is 5', () => {
    const stale = (days: number) => renderMessage('status_update_stale', 'ru', { ...params, days });
    expect(stale(2).text).toContain('2 дня');
    expect(stale(5).text).toContain('5 дней');
    expect(stale(21).text).toContain('21 день');
  });

  it('should show the translated phase name when a phase key is given', () => {
    expect(renderMessage('transition_waiting', 'fr', params).text).toContain('Planification');
    expect(renderMessage('phase_aging', 'zh', params).subject).toContain('规划');
  });

  it('should set dir="rtl" and lang="ar" when the locale is Arabic and dir="ltr" otherwise', () => {
    expect(renderMessage('test', 'ar', params).html).toContain('<html lang="ar" dir="rtl">');
    for (const locale of LOCALES.filter((l) => l !== 'ar')) {
      expect(renderMessage('test', locale, params).html).toContain(
        `<html lang="${locale}" dir="ltr">`,
      );
    }
  });

  it('should escape HTML when a value contains markup', () => {
    const { html, text } = renderMessage('milestone_overdue', 'en', {
      ...params,
      milestoneTitle: '<script>alert("x")</script> & co',
      url: 'https://cirt.example.org/p?id=1&tab="2"',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain('<a href="https://cirt.example.org/p?id=1&amp;tab=&quot;2&quot;">');
    expect(html).toContain('&lt;jean.martin@example.org&gt;');
    expect(text).toContain('<script>alert("x")</script> & co');
  });

  it('should fall back to English when the locale is not supported', () => {
    expect(renderMessage('phase_aging', 'de', params)).toEqual(
      renderMessage('phase_aging', 'en', params),
    );
    expect(renderMessage('test', 'fr-CA', params)).toEqual(renderMessage('test', 'fr', params));
  });

  it('should include the contact sentence only when contactName is given', () => {
    const withContact = renderMessage('reassessment_due', 'en', params);
    expect(withContact.text).toContain('please contact Jean Martin <jean.martin@example.org>.');
    expect(
      renderMessage('reassessment_due', 'en', { ...params, contactEmail: undefined }).text,
    ).toContain('please contact Jean Martin.');
    const withoutContact = renderMessage('reassessment_due', 'en', {
      ...params,
      contactName: undefined,
      contactEmail: undefined,
    });
    expect(withoutContact.text).not.toContain('contact');
    expect(withoutContact.html).not.toContain('contact');
  });
});

describe(renderInvitation.name, () => {
  const invitation = {
    recipientName: 'Amina Diallo',
    email: 'amina@cert.example.sn',
    inviterName: 'Li Wei',
    url: 'https://cirt.example.org/invitation/abc_DEF-123',
    expiresAt: new Date('2026-10-07T09:30:00Z'),
  };

  it('should name the inviter, the link and its expiry in UTC in every locale, without placeholders', () => {
    for (const locale of LOCALES) {
      const message = renderInvitation(locale, invitation);
      for (const part of [message.subject, message.text, message.html]) {
        expect(part).not.toMatch(/[{}]|undefined/);
      }
      expect(message.text).toContain(invitation.url);
      expect(message.text).toContain('Li Wei');
      expect(message.text).toContain('amina@cert.example.sn');
      expect(message.html).toContain(`<a href="${invitation.url}">`);
    }
    expect(renderInvitation('en', invitation).text).toMatch(/until Oct 7, 2026, 9:30\sAM \(UTC\)/);
  });

  it('should say an administrator invited them when no inviter is known', () => {
    const { text } = renderInvitation('fr', { ...invitation, inviterName: null });
    expect(text).toContain('Un administrateur vous a créé un compte');
  });
});
