import { describe, expect, it } from 'vitest';
import { emailsForIds, idsForEmails, targetsEveryone } from './targeting.js';

const users = [
  { id: 'id-ada', email: 'ada@example.com' },
  { id: 'id-bo', email: 'bo@example.com' },
];

describe('idsForEmails', () => {
  it('maps emails typed in any case and separator to ids once each, and returns the unknown apart', () => {
    expect(idsForEmails(' ADA@example.com\nbo@example.com, ada@example.com;\n\nnobody@example.com ', users)).toEqual({
      ids: ['id-ada', 'id-bo'],
      unknown: ['nobody@example.com'],
    });
    expect(idsForEmails('   \n', users)).toEqual({ ids: [], unknown: [] });
  });
});

describe('emailsForIds', () => {
  it('shows each id as its email, one per line, and an id no account has as itself', () => {
    expect(emailsForIds(['id-bo', 'id-gone'], users)).toBe('bo@example.com\nid-gone');
  });
});

describe('targetsEveryone', () => {
  it('is true only for no lists at 100%', () => {
    expect(targetsEveryone({ roles: [], userIds: [], percentage: 100 })).toBe(true);
    expect(targetsEveryone({ roles: ['ops'], userIds: [], percentage: 100 })).toBe(false);
    expect(targetsEveryone({ roles: [], userIds: [], percentage: 99 })).toBe(false);
  });
});
