import type { Draft } from '@atrium/contracts';

/** What one approval level of a draft card says, a `chat` i18n key under `toolDraft`. */
export type LevelStateKey = 'approved' | 'rejected' | 'waiting' | 'withdrawn' | 'expired' | 'notReached';

/**
 * The state one level shows. A decided level shows its decision. An undecided level waits only
 * while the draft is `pending`; once the draft is settled it shows why it will never be decided:
 * `withdrawn` or `expired` as the draft, and `notReached` when an earlier level rejected it (or
 * any other settled status), so a closed card never reads "waiting".
 */
export function levelStateKey(status: Draft['status'], level: Draft['levels'][number]): LevelStateKey {
  if (level.decision) return level.decision.approve ? 'approved' : 'rejected';
  if (status === 'pending') return 'waiting';
  if (status === 'withdrawn' || status === 'expired') return status;
  return 'notReached';
}
