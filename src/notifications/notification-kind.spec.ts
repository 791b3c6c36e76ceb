import { hasMessage } from '../messages/catalog.js';
import { MESSAGE_KINDS } from '../messages/message-renderer.js';
import { REMINDER_KINDS } from '../reminders/reminder-kinds.js';
import { messageKindOf } from './notification-kind.js';

describe(messageKindOf.name, () => {
  it('should name the message kind of every stored kind, each with its name on pages', () => {
    const stored = [
      ...REMINDER_KINDS.map((kind) => `reminder.${kind}`),
      'event.transition_approved',
      'event.daily_digest',
      'report.completed',
      'test',
    ];
    const kinds = stored.map(messageKindOf);
    expect(kinds).toEqual(
      expect.arrayContaining(['milestone_overdue', 'digest', 'report_completed', 'test']),
    );
    for (const kind of [...kinds, ...MESSAGE_KINDS, 'digest']) {
      expect({ kind, named: hasMessage('pages', `notificationKind.${kind}`) }).toEqual({
        kind,
        named: true,
      });
    }
  });
});
