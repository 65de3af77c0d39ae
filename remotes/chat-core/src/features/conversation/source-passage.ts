import type { ApiClient, Citation } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { getPassage, type PassageResponse } from './api.js';

/**
 * What the source dialog shows for one citation:
 * - `loading`: the passage is being fetched;
 * - `loaded`: the passage between its neighbours, with its document;
 * - `deleted`: the BFF answered 404 `document.not_found` (deleted, or no longer visible to the
 *   asker): the dialog says so and shows the excerpt stored with the citation;
 * - `failed`: anything else (network, 5xx); the dialog offers Retry.
 */
export type SourcePassage =
  | { status: 'loading' }
  | { status: 'loaded'; response: PassageResponse }
  | { status: 'deleted' }
  | { status: 'failed'; error: unknown };

export const loadingPassage: SourcePassage = { status: 'loading' };

/** The state a finished fetch leads to: `deleted` only for 404 `document.not_found`. */
export function settledPassage(outcome: { response: PassageResponse } | { error: unknown }): SourcePassage {
  if ('response' in outcome) return { status: 'loaded', response: outcome.response };
  const { error } = outcome;
  if (error instanceof ApiRequestError && error.status === 404 && error.code === 'document.not_found') {
    return { status: 'deleted' };
  }
  return { status: 'failed', error };
}

/** Fetches a citation's passage (`getPassage`) and resolves to its settled state; never rejects. */
export function loadSourcePassage(api: ApiClient, citation: Citation): Promise<SourcePassage> {
  return getPassage(api, citation).then(
    (response) => settledPassage({ response }),
    (error: unknown) => settledPassage({ error }),
  );
}

/** "Title › Heading › Subheading": where a passage sits, outermost first. */
export function sourcePath(source: { documentTitle: string; headingPath: readonly string[] }): string {
  // A top heading that is the title itself is not said twice.
  const headings =
    source.headingPath[0]?.trim() === source.documentTitle.trim() ? source.headingPath.slice(1) : source.headingPath;
  return [source.documentTitle, ...headings].join(' › ');
}
