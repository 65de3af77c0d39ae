import type { FlagTargeting } from '@atrium/contracts';

export interface KnownUser {
  id: string;
  email: string;
}

/** Emails typed one per line (or separated by commas/spaces) → user ids; the emails no account has are returned apart. */
export function idsForEmails(text: string, users: readonly KnownUser[]): { ids: string[]; unknown: string[] } {
  const byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user.id]));
  const emails = [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const email of emails) {
    const id = byEmail.get(email);
    if (id) ids.push(id);
    else unknown.push(email);
  }
  return { ids, unknown };
}

/** The targeted users' emails, one per line, for editing (an id no longer known shows as itself). */
export function emailsForIds(ids: readonly string[], users: readonly KnownUser[]): string {
  const byId = new Map(users.map((user) => [user.id, user.email]));
  return ids.map((id) => byId.get(id) ?? id).join('\n');
}

/** Whether the targeting is "everyone" (no list, 100%). */
export const targetsEveryone = (targeting: FlagTargeting) =>
  targeting.roles.length === 0 && targeting.userIds.length === 0 && targeting.percentage === 100;
