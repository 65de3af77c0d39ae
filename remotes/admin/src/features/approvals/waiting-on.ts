import type { Draft, Role } from '@atrium/contracts';

/** The level waiting for a decision: its 1-based number and the roles that may give it; null once none waits. */
export function waitingOn(draft: Draft): { level: number; of: number; roles: Role[] } | null {
  if (draft.status !== 'pending') return null;
  const index = draft.levels.findIndex((level) => level.decision === null);
  if (index < 0) return null;
  return { level: index + 1, of: draft.levels.length, roles: draft.levels[index]!.roles };
}

/** Age of `iso` at `now` as the largest whole unit, for `Intl.RelativeTimeFormat`. */
export function ageOf(iso: string, now: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return { value: -minutes, unit: 'minute' };
  if (minutes < 24 * 60) return { value: -Math.floor(minutes / 60), unit: 'hour' };
  return { value: -Math.floor(minutes / (24 * 60)), unit: 'day' };
}
