import type { DemoManifest, DocumentView } from '@atrium/contracts';
import { activeDocumentStatuses } from '@atrium/contracts';
import type { AtriumClient } from './client.js';

export interface DocumentsState {
  ready: number;
  total: number;
  /** One line per manifest document that is not `ready`: missing, still processing, failed (with its reason) or cancelled. */
  problems: string[];
}

/** Where each manifest document stands in `documents` (matched by title; a ready copy wins). */
export function documentsState(
  manifest: DemoManifest,
  documents: DocumentView[],
): DocumentsState & { settled: boolean } {
  const problems: string[] = [];
  let ready = 0;
  let settled = true;
  for (const { title, file } of manifest) {
    const copies = documents.filter((document) => document.title === title);
    const best = copies.find((document) => document.status === 'ready') ?? copies[0];
    if (best?.status === 'ready') {
      ready += 1;
      continue;
    }
    if (!best) {
      problems.push(`"${title}" (${file}) is not in the knowledge base`);
      settled = false;
    } else if (activeDocumentStatuses.includes(best.status)) {
      problems.push(`"${title}" (${file}) is still ${best.status}`);
      settled = false;
    } else {
      const reason = best.failure ? `: ${best.failure.code} ${best.failure.message}` : '';
      problems.push(`"${title}" (${file}) is ${best.status}${reason}`);
    }
  }
  return { ready, total: manifest.length, problems, settled };
}

/**
 * Polls `GET /api/documents` (as `client`, who should see every shared document: an admin)
 * until every manifest document is `ready`, or has failed or been cancelled, or `timeoutMs`
 * has passed. Returns the state then; the run goes on either way and the report says what was
 * missing.
 */
export async function waitForDemoDocuments(
  client: AtriumClient,
  manifest: DemoManifest,
  options: { timeoutMs: number; pollMs: number },
): Promise<DocumentsState> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const { settled, ...state } = documentsState(manifest, await client.listAllDocuments());
    if (settled || Date.now() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
