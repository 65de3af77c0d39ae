import type { DemoManifest, DocumentView } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { documentsState } from './demo-documents.js';

const manifest: DemoManifest = [
  { file: 'a.md', title: 'A', audience: 'everyone' },
  { file: 'b.pdf', title: 'B', audience: 'everyone' },
  { file: 'c.docx', title: 'C', audience: 'agent_l2' },
];

function document(
  title: string,
  status: DocumentView['status'],
  failure: DocumentView['failure'] = null,
): DocumentView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    title,
    filename: title,
    mediaType: null,
    sizeBytes: 1,
    sha256: 'ab',
    audience: 'everyone',
    status,
    failure,
    progress: null,
    pageCount: null,
    chunkCount: 0,
    ownerId: '00000000-0000-4000-8000-000000000002',
    ownerName: 'admin',
    mine: true,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

describe('documentsState', () => {
  it('is settled when every document is ready', () => {
    expect(documentsState(manifest, [document('A', 'ready'), document('B', 'ready'), document('C', 'ready')])).toEqual({
      ready: 3,
      total: 3,
      problems: [],
      settled: true,
    });
  });

  it('keeps waiting while a document is missing or still being processed', () => {
    const state = documentsState(manifest, [document('A', 'ready'), document('B', 'embedding')]);
    expect(state).toMatchObject({ ready: 1, settled: false });
    expect(state.problems).toEqual(['"B" (b.pdf) is still embedding', '"C" (c.docx) is not in the knowledge base']);
  });

  it('stops waiting for a failed document and says why it failed', () => {
    const failed = document('C', 'failed', { code: 'document.no_text', message: 'No text layer.' });
    const state = documentsState(manifest, [document('A', 'ready'), document('B', 'cancelled'), failed]);
    expect(state).toMatchObject({ ready: 1, settled: true });
    expect(state.problems).toEqual([
      '"B" (b.pdf) is cancelled',
      '"C" (c.docx) is failed: document.no_text No text layer.',
    ]);
  });

  it('counts a document ready when one of its copies is', () => {
    expect(documentsState(manifest.slice(0, 1), [document('A', 'failed'), document('A', 'ready')]).problems).toEqual(
      [],
    );
  });
});
