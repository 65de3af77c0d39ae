import type { DocumentAudience, DocumentView } from '@atrium/contracts';

/**
 * One file's way to the BFF: `waiting` for a free slot → `sending` (byte progress) → gone from
 * here once the BFF created the document (the document list shows it from then on), or
 * `duplicate` (the caller already has these bytes), `rejected` (too large or empty: sending
 * again cannot help), `failed` (network, 4xx/5xx: may be retried) or `cancelled` by the user.
 */
export type UploadPhase = 'waiting' | 'sending' | 'duplicate' | 'rejected' | 'failed' | 'cancelled';

export type UploadProblem = { kind: 'too_large' } | { kind: 'empty' } | { kind: 'error'; error: unknown };

export interface UploadItem {
  key: string;
  /** The name on the user's machine: shown and sent as `filename`, never a path. */
  name: string;
  sizeBytes: number;
  audience: DocumentAudience;
  phase: UploadPhase;
  sentBytes: number;
  problem: UploadProblem | null;
  /** With `duplicate`: the caller's document that has the same bytes. */
  existing: DocumentView | null;
}

export interface UploadsState {
  items: UploadItem[];
}

export interface PickedFile {
  key: string;
  name: string;
  sizeBytes: number;
}

export type UploadAction =
  | { type: 'added'; files: PickedFile[]; audience: DocumentAudience; limitBytes: number }
  | { type: 'started'; key: string }
  | { type: 'progressed'; key: string; sentBytes: number }
  | { type: 'created'; key: string }
  | { type: 'duplicate'; key: string; document: DocumentView }
  | { type: 'tooLarge'; key: string }
  | { type: 'failed'; key: string; error: unknown }
  | { type: 'cancelled'; key: string }
  | { type: 'retried'; key: string }
  | { type: 'dismissed'; key: string };

export const initialUploads: UploadsState = { items: [] };

/** Checked before sending, where the browser knows the size; the BFF checks again (413). */
function problemBeforeSending(sizeBytes: number, limitBytes: number): UploadProblem | null {
  if (sizeBytes === 0) return { kind: 'empty' };
  return sizeBytes > limitBytes ? { kind: 'too_large' } : null;
}

function update(
  state: UploadsState,
  key: string,
  from: readonly UploadPhase[],
  change: (item: UploadItem) => Partial<UploadItem>,
): UploadsState {
  const item = state.items.find((i) => i.key === key);
  // A late answer for an upload the user already cancelled or dismissed changes nothing.
  if (!item || !from.includes(item.phase)) return state;
  return { items: state.items.map((i) => (i === item ? { ...i, ...change(i) } : i)) };
}

const without = (state: UploadsState, key: string): UploadsState => ({
  items: state.items.filter((i) => i.key !== key),
});

export function uploadsReducer(state: UploadsState, action: UploadAction): UploadsState {
  switch (action.type) {
    case 'added':
      return {
        items: [
          ...state.items,
          ...action.files.map((file): UploadItem => {
            const problem = problemBeforeSending(file.sizeBytes, action.limitBytes);
            return {
              ...file,
              audience: action.audience,
              phase: problem ? 'rejected' : 'waiting',
              sentBytes: 0,
              problem,
              existing: null,
            };
          }),
        ],
      };
    case 'started':
      return update(state, action.key, ['waiting'], () => ({ phase: 'sending', sentBytes: 0 }));
    case 'progressed':
      return update(state, action.key, ['sending'], (item) => ({
        sentBytes: Math.min(Math.max(action.sentBytes, item.sentBytes), item.sizeBytes),
      }));
    case 'created':
      return without(state, action.key);
    case 'duplicate':
      return update(state, action.key, ['sending'], () => ({ phase: 'duplicate', existing: action.document }));
    case 'tooLarge':
      return update(state, action.key, ['sending'], () => ({ phase: 'rejected', problem: { kind: 'too_large' } }));
    case 'failed':
      return update(state, action.key, ['sending'], () => ({
        phase: 'failed',
        problem: { kind: 'error', error: action.error },
      }));
    case 'cancelled':
      return update(state, action.key, ['waiting', 'sending'], () => ({ phase: 'cancelled' }));
    case 'retried':
      return update(state, action.key, ['failed', 'cancelled'], () => ({
        phase: 'waiting',
        sentBytes: 0,
        problem: null,
      }));
    case 'dismissed': {
      const item = state.items.find((i) => i.key === action.key);
      return item && item.phase !== 'sending' ? without(state, action.key) : state;
    }
  }
}

/** The waiting uploads that may start now, oldest first, keeping at most `concurrency` sending. */
export function startable(state: UploadsState, concurrency: number): string[] {
  const sending = state.items.filter((i) => i.phase === 'sending').length;
  return state.items
    .filter((i) => i.phase === 'waiting')
    .slice(0, Math.max(0, concurrency - sending))
    .map((i) => i.key);
}

export const canCancel = (item: UploadItem) => item.phase === 'waiting' || item.phase === 'sending';
export const canRetry = (item: UploadItem) => item.phase === 'failed' || item.phase === 'cancelled';
