import { hasMessage } from '../messages/catalog.js';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from './audit-actions.js';

describe('audit actions', () => {
  it('should name every action for people, in the pages catalog', () => {
    expect(AUDIT_ACTIONS.filter((action) => !hasMessage('pages', `action.${action}`))).toEqual([]);
  });

  it('should name every kind of object for people, in the pages catalog', () => {
    expect(
      AUDIT_ENTITY_TYPES.filter((type) => !hasMessage('pages', `auditObject.${type}`)),
    ).toEqual([]);
  });
});
