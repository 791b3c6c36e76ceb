import { hasMessage } from '../messages/catalog.js';
import { AUDIT_ACTIONS } from './audit-actions.js';

describe('audit actions', () => {
  it('should name every action for people, in the pages catalog', () => {
    expect(AUDIT_ACTIONS.filter((action) => !hasMessage('pages', `action.${action}`))).toEqual([]);
  });
});
