import {
  apiErrorSchema,
  type DocumentView,
  documentResponseSchema,
  duplicateDocumentErrorSchema,
  listDocumentsResponseSchema,
  passageResponseSchema,
} from '@atrium/contracts';
import { and, asc, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasVectorSearch, queryRows } from '../db/index.js';
import { auditLog, documentChunks, documents, jobs } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { readUserEvents } from '../realtime/event-log.js';
import { createOpenAiEmbedder } from '../retrieval/embeddings.js';
import { createRetriever } from '../retrieval/search.js';
import { insertChunkEmbeddings } from '../retrieval/vector-store.js';
import { Browser } from '../testing/browser.js';
import { expectNoOrphans, ingestAll, postDocument, storedFiles, uploadDocument } from '../testing/document-api.js';
import { embedText, type ScriptedEmbeddings, startScriptedEmbeddings } from '../testing/scripted-embeddings.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

let t: TestApp;
let alice: Browser;
let bob: Browser;
let publisher: Browser;
let admin: Browser;
let aliceId: string;
let publisherId: string;
let adminId: string;

async function signedIn(email: string, role: Parameters<TestApp['createUser']>[0]['role']) {
  const user = await t.createUser({ email, role });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return { user, browser };
}

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_WORKER: 'off', ATRIUM_UPLOAD_MAX_BYTES: String(300 * 1024) } });
  ({
    browser: alice,
    user: { id: aliceId },
  } = await signedIn('alice@example.com', 'user'));
  ({ browser: bob } = await signedIn('bob@example.com', 'user'));
  ({
    browser: publisher,
    user: { id: publisherId },
  } = await signedIn('pat@example.com', 'agent_l2'));
  ({
    browser: admin,
    user: { id: adminId },
  } = await signedIn('ada@example.com', 'admin'));
});
afterAll(() => t.close());

const code = async (response: Response) => apiErrorSchema.parse(await response.json()).code;
const view = async (response: Response) => documentResponseSchema.parse(await response.json()).document;
const list = async (browser: Browser, query = '') =>
  listDocumentsResponseSchema.parse(await (await browser.fetch('GET', `/api/documents${query}`)).json());
const getDocument = async (browser: Browser, id: string) => view(await browser.fetch('GET', `/api/documents/${id}`));
const auditFor = (id: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.target, `document:${id}`))
    .orderBy(asc(auditLog.id));
const jobsOf = (id: string) =>
  t.db
    .select()
    .from(jobs)
    .where(like(jobs.key, `${id}:%`));
const chunksOf = (id: string) =>
  t.db.select().from(documentChunks).where(eq(documentChunks.documentId, id)).orderBy(asc(documentChunks.ordinal));

/** Markdown with `sections` headed sections, each a paragraph long enough to be its own chunk. */
function guide(topic: string, sections = 1): string {
  const parts = [`# ${topic} guide`, ''];
  for (let i = 1; i <= sections; i++) {
    parts.push(
      `## Step ${i}`,
      '',
      `${topic} step ${i}: ${'open the settings page and follow the prompts. '.repeat(30)}`,
      '',
    );
  }
  return parts.join('\n');
}

describe('uploading', () => {
  it('streams a file past the JSON body limit into the store: 201 queued, its job and event in one go, then ready', async () => {
    const wake = vi.spyOn(t.ingestion.worker, 'wake');
    const text = `# Big handbook\n\n${'Every paragraph of the big handbook says the same thing. '.repeat(3_000)}`;
    expect(text.length).toBeGreaterThan(100 * 1024);
    const document = await uploadDocument(alice, { filename: 'Big handbook.v2.md', bytes: text });
    expect(document).toMatchObject({
      title: 'Big handbook.v2',
      filename: 'Big handbook.v2.md',
      status: 'queued',
      audience: 'private',
      sizeBytes: Buffer.byteLength(text),
      mine: true,
      ownerName: 'alice',
      chunkCount: 0,
    });
    expect(await jobsOf(document.id)).toMatchObject([{ status: 'queued', key: `${document.id}:1` }]);
    const events = await readUserEvents(t.db, aliceId, 0, { limit: 100 });
    expect(events.map((e) => e.event)).toContainEqual({ type: 'document.updated', document });
    // ATRIUM_WORKER=off: the worker runs elsewhere and is not woken from here.
    expect(wake).not.toHaveBeenCalled();
    expect(storedFiles(t, 'sha256')).toContain(document.sha256);

    await ingestAll(t);
    const ready = await getDocument(alice, document.id);
    expect(ready.status).toBe('ready');
    expect(ready.chunkCount).toBeGreaterThan(1);
  });

  it('takes the title given, and keeps a shown name free of folders and control characters', async () => {
    const titled = await uploadDocument(alice, {
      filename: 'notes.txt',
      bytes: 'Titled notes.',
      title: '  Team notes ',
    });
    expect(titled.title).toBe('Team notes');
    const sneaky = await uploadDocument(alice, {
      filename: '../../etc/\u0007pass\u202Ewd\u001f.md',
      bytes: 'Sneaky name.',
    });
    expect(sneaky.filename).toBe('passwd.md');
    expect(sneaky.title).toBe('passwd');
    expect(storedFiles(t, 'sha256')).toContain(sneaky.sha256);
  });

  it('lets only roles with documents:share publish beyond private (403 before the body is read)', async () => {
    const refused = await postDocument(alice, { filename: 'a.md', bytes: 'Shared by a user?', audience: 'everyone' });
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe('auth.forbidden');
    const shared = await uploadDocument(publisher, { filename: 'a.md', bytes: 'Shared by L2.', audience: 'agent_l1' });
    expect(shared.audience).toBe('agent_l1');
  });

  it('answers 409 document.duplicate with the existing document for the same owner and bytes; another owner gets their own', async () => {
    const bytes = 'Exactly these bytes, twice.';
    const first = await uploadDocument(alice, { filename: 'twice.txt', bytes });
    const again = await postDocument(alice, { filename: 'renamed.txt', bytes });
    expect(again.status).toBe(409);
    const duplicate = duplicateDocumentErrorSchema.parse(await again.json());
    expect(duplicate.document).toEqual(first);
    const rows = await t.db.select().from(documents).where(eq(documents.sha256, first.sha256));
    expect(rows).toHaveLength(1);
    expect(await jobsOf(first.id)).toHaveLength(1);

    const bobs = await uploadDocument(bob, { filename: 'mine.txt', bytes });
    expect(bobs.id).not.toBe(first.id);
    expect(bobs.ownerName).toBe('bob');
  });

  it('wakes the inline worker after the commit that enqueued the job', async () => {
    const inline = await createTestApp();
    try {
      const user = await inline.createUser({ email: 'inline@example.com' });
      const browser = new Browser(inline);
      await browser.signIn(user.email, testPassword);
      const wake = vi.spyOn(inline.ingestion.worker, 'wake');
      await uploadDocument(browser, { filename: 'x.md', bytes: '# X\n\nSomething to read.' });
      expect(wake).toHaveBeenCalledTimes(1);
    } finally {
      await inline.close();
    }
  });
});

describe('listing', () => {
  it('pages newest first with an opaque cursor, searches title and filename literally, filters, and gives the upload limit', async () => {
    const { browser: lister } = await signedIn('lister@example.com', 'user');
    const made: DocumentView[] = [];
    for (const [filename, title] of [
      ['alpha.md', 'Alpha'],
      ['beta.md', '100% sure'],
      ['gamma_x.md', 'Gamma'],
      ['delta.md', 'Delta'],
    ] as const) {
      t.clock.advance(1_000);
      made.push(await uploadDocument(lister, { filename, title, bytes: `# ${title}\n\nAbout ${filename}.` }));
    }
    const first = await list(lister, '?limit=3');
    expect(first.documents.map((d) => d.title)).toEqual(['Delta', 'Gamma', '100% sure']);
    expect(first.limits).toEqual({ uploadMaxBytes: 300 * 1024 });
    const second = await list(lister, `?limit=3&cursor=${first.nextCursor}`);
    expect(second.documents.map((d) => d.title)).toEqual(['Alpha']);
    expect(second.nextCursor).toBeNull();

    expect((await list(lister, '?q=%25')).documents.map((d) => d.title)).toEqual(['100% sure']);
    expect((await list(lister, '?q=_x')).documents.map((d) => d.filename)).toEqual(['gamma_x.md']);
    expect((await list(lister, '?q=ALPHA')).documents.map((d) => d.title)).toEqual(['Alpha']);

    await lister.fetch('POST', `/api/documents/${made[0]!.id}/cancel`);
    expect((await list(lister, '?status=cancelled')).documents.map((d) => d.title)).toEqual(['Alpha']);
    expect((await list(lister, '?audience=private')).documents).toHaveLength(4);
    expect((await list(lister, '?audience=everyone')).documents).toEqual([]);

    for (const forged of [
      'not-a-cursor',
      Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000Z', made[0]!.id])).toString('base64url'),
      Buffer.from(JSON.stringify([made[0]!.createdAt, 'nope'])).toString('base64url'),
    ]) {
      const bad = await lister.fetch('GET', `/api/documents?cursor=${forged}`);
      expect(bad.status).toBe(400);
      expect(await code(bad)).toBe('request.invalid_cursor');
    }
  });
});

describe('commands', () => {
  it('cancels a queued document (job cancelled), retries it under a new generation, and refuses commands in the wrong status', async () => {
    const document = await uploadDocument(alice, { filename: 'cancel-me.md', bytes: guide('Cancel') });
    const cancelled = await view(await alice.fetch('POST', `/api/documents/${document.id}/cancel`));
    expect(cancelled.status).toBe('cancelled');
    expect(await jobsOf(document.id)).toMatchObject([{ status: 'cancelled' }]);

    const again = await alice.fetch('POST', `/api/documents/${document.id}/cancel`);
    expect(again.status).toBe(409);
    expect(await code(again)).toBe('document.wrong_status');
    expect((await alice.fetch('POST', `/api/documents/${document.id}/reindex`)).status).toBe(409);

    const retried = await view(await alice.fetch('POST', `/api/documents/${document.id}/retry`));
    expect(retried.status).toBe('queued');
    const [row] = await t.db.select().from(documents).where(eq(documents.id, document.id));
    expect(row!.generation).toBe(2);
    expect((await jobsOf(document.id)).map((j) => [j.key, j.status]).sort()).toEqual([
      [`${document.id}:1`, 'cancelled'],
      [`${document.id}:2`, 'queued'],
    ]);
    expect((await alice.fetch('POST', `/api/documents/${document.id}/retry`)).status).toBe(409);
    await ingestAll(t);
    expect((await getDocument(alice, document.id)).status).toBe('ready');
    expect(await auditFor(document.id)).toEqual([]);
  });

  it('reindexes a ready document: its passages stay searchable until the new run replaces them, and it is audited', async () => {
    const document = await uploadDocument(alice, { filename: 'reindex.md', bytes: guide('Xylophone', 2) });
    await ingestAll(t);
    const retriever = createRetriever({
      db: t.db,
      logger: createLogger('silent'),
      embedder: null,
      vectorTables: false,
      topK: 5,
    });
    const reader = { userId: aliceId, role: 'user' as const };
    const before = await retriever.search(reader, 'xylophone');
    expect(before.map((p) => p.documentId)).toContain(document.id);
    const oldChunks = (await chunksOf(document.id)).map((c) => c.id);

    const reindexing = await view(await alice.fetch('POST', `/api/documents/${document.id}/reindex`));
    expect(reindexing.status).toBe('queued');
    expect((await retriever.search(reader, 'xylophone')).map((p) => p.chunkId)).toEqual(before.map((p) => p.chunkId));

    await ingestAll(t);
    const after = await retriever.search(reader, 'xylophone');
    expect(after.length).toBe(before.length);
    expect(after.some((p) => oldChunks.includes(p.chunkId))).toBe(false);
    expect(await auditFor(document.id)).toMatchObject([
      { action: 'document.reindexed', actorId: aliceId, detail: { title: 'reindex', generation: 2 } },
    ]);
  });

  it('changes the audience of the document, its chunks and their vectors in one go, audited with the reason', async () => {
    const document = await uploadDocument(publisher, {
      filename: 'quokka.md',
      bytes: guide('Quokka', 2),
      audience: 'agent_l2',
    });
    await ingestAll(t);
    const vectors = await hasVectorSearch(t.db);
    let embeddings: ScriptedEmbeddings | null = null;
    if (vectors) {
      embeddings = await startScriptedEmbeddings();
      const model = embeddings.model;
      const chunks = await chunksOf(document.id);
      await t.db.transaction((tx) =>
        insertChunkEmbeddings(
          tx,
          model,
          chunks.map((c) => ({
            chunkId: c.id,
            ownerId: c.ownerId,
            audienceRank: c.audienceRank,
            embedding: embedText(c.text, embeddings!.dims),
          })),
        ),
      );
    }
    try {
      const { user: l1 } = await signedIn('l1-quokka@example.com', 'agent_l1');
      const l1Reader = { userId: l1.id, role: 'agent_l1' as const };
      const retriever = createRetriever({
        db: t.db,
        logger: createLogger('silent'),
        embedder: embeddings
          ? createOpenAiEmbedder({
              model: embeddings.model,
              baseUrl: embeddings.baseUrl,
              apiKey: null,
              timeoutMs: 5_000,
            })
          : null,
        vectorTables: vectors,
        topK: 5,
        minSimilarity: 0,
      });
      expect(await retriever.search(l1Reader, 'quokka')).toEqual([]);

      const shared = await publisher.fetch('PATCH', `/api/documents/${document.id}/audience`, {
        body: { audience: 'agent_l1', reason: 'L1 needs it for tickets' },
      });
      expect(shared.status).toBe(200);
      expect((await view(shared)).audience).toBe('agent_l1');
      expect((await chunksOf(document.id)).every((c) => c.audienceRank === 1)).toBe(true);
      if (vectors) {
        const ranks = await queryRows<{ audience_rank: number }>(t.db, sqlRanks(document.id));
        expect(ranks.length).toBeGreaterThan(0);
        expect(ranks.every((r) => Number(r.audience_rank) === 1)).toBe(true);
      }
      const found = await retriever.search(l1Reader, 'quokka');
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((p) => p.documentId === document.id)).toBe(true);

      await publisher.fetch('PATCH', `/api/documents/${document.id}/audience`, { body: { audience: 'private' } });
      expect(await retriever.search(l1Reader, 'quokka')).toEqual([]);
      expect(await auditFor(document.id)).toMatchObject([
        {
          action: 'document.audience_changed',
          actorId: publisherId,
          detail: { from: 'agent_l2', to: 'agent_l1', reason: 'L1 needs it for tickets', title: 'quokka' },
        },
        { action: 'document.audience_changed', detail: { from: 'agent_l1', to: 'private' } },
      ]);
      // The same audience again changes nothing and records nothing.
      await publisher.fetch('PATCH', `/api/documents/${document.id}/audience`, { body: { audience: 'private' } });
      expect(await auditFor(document.id)).toHaveLength(2);
    } finally {
      await embeddings?.close();
    }
  });

  it('lets an owner without documents:share make a document private only', async () => {
    const document = await uploadDocument(alice, { filename: 'own.md', bytes: '# Own\n\nMine alone.' });
    const widened = await alice.fetch('PATCH', `/api/documents/${document.id}/audience`, {
      body: { audience: 'everyone' },
    });
    expect(widened.status).toBe(403);
    expect(await code(widened)).toBe('auth.forbidden');
    // A document a user owns that is shared (published before their role changed) can still be taken back.
    await t.db.update(documents).set({ audience: 'everyone', audienceRank: 0 }).where(eq(documents.id, document.id));
    const narrowed = await alice.fetch('PATCH', `/api/documents/${document.id}/audience`, {
      body: { audience: 'private' },
    });
    expect((await view(narrowed)).audience).toBe('private');
  });

  it('deletes a document with its chunks, jobs and event, audited; the file goes only when no other document holds it', async () => {
    const bytes = guide('Wombat', 2);
    const mine = await uploadDocument(alice, { filename: 'wombat.md', bytes });
    const bobs = await uploadDocument(bob, { filename: 'wombat.md', bytes });
    await ingestAll(t);
    expect((await chunksOf(mine.id)).length).toBeGreaterThan(0);

    expect((await alice.fetch('DELETE', `/api/documents/${mine.id}`)).status).toBe(200);
    expect(await chunksOf(mine.id)).toEqual([]);
    expect(await jobsOf(mine.id)).toEqual([]);
    expect((await alice.fetch('GET', `/api/documents/${mine.id}`)).status).toBe(404);
    expect(storedFiles(t, 'sha256')).toContain(mine.sha256);
    const events = await readUserEvents(t.db, aliceId, 0, { limit: 1_000 });
    expect(events.at(-1)?.event).toEqual({ type: 'document.deleted', documentId: mine.id });
    expect(await auditFor(mine.id)).toMatchObject([
      { action: 'document.deleted', actorId: aliceId, detail: { title: 'wombat', sha256: mine.sha256 } },
    ]);

    expect((await bob.fetch('DELETE', `/api/documents/${bobs.id}`)).status).toBe(200);
    expect(storedFiles(t, 'sha256')).not.toContain(bobs.sha256);
    expect(await chunksOf(bobs.id)).toEqual([]);
    await expectNoOrphans(t);
  });

  it('deletes a document while it is being ingested: the job goes, nothing is written after', async () => {
    const document = await uploadDocument(alice, { filename: 'mid.md', bytes: guide('Midway', 3) });
    expect((await alice.fetch('DELETE', `/api/documents/${document.id}`)).status).toBe(200);
    await ingestAll(t);
    expect(await jobsOf(document.id)).toEqual([]);
    expect(await chunksOf(document.id)).toEqual([]);
    expect(storedFiles(t, 'sha256')).not.toContain(document.sha256);
    await expectNoOrphans(t);
  });

  it('lets an admin cancel, retry, reindex and delete shared documents of others, but not change their audience; other readers get 403', async () => {
    const document = await uploadDocument(publisher, {
      filename: 'shared.md',
      bytes: guide('Pelican'),
      audience: 'everyone',
    });
    const { browser: l2 } = await signedIn('l2-other@example.com', 'agent_l2');
    for (const reader of [alice, l2]) {
      for (const action of ['cancel', 'retry', 'reindex']) {
        const response = await reader.fetch('POST', `/api/documents/${document.id}/${action}`);
        expect(response.status).toBe(403);
        expect(await code(response)).toBe('auth.forbidden');
      }
      expect((await reader.fetch('DELETE', `/api/documents/${document.id}`)).status).toBe(403);
      const patch = await reader.fetch('PATCH', `/api/documents/${document.id}/audience`, {
        body: { audience: 'private' },
      });
      expect(patch.status).toBe(403);
    }
    expect((await view(await admin.fetch('POST', `/api/documents/${document.id}/cancel`))).status).toBe('cancelled');
    expect((await view(await admin.fetch('POST', `/api/documents/${document.id}/retry`))).status).toBe('queued');
    await ingestAll(t);
    expect((await view(await admin.fetch('POST', `/api/documents/${document.id}/reindex`))).mine).toBe(false);
    expect(
      (await admin.fetch('PATCH', `/api/documents/${document.id}/audience`, { body: { audience: 'agent_l2' } })).status,
    ).toBe(403);
    expect((await admin.fetch('DELETE', `/api/documents/${document.id}`)).status).toBe(200);
    expect(await auditFor(document.id)).toMatchObject([
      { action: 'document.reindexed', actorId: adminId },
      { action: 'document.deleted', actorId: adminId, detail: { ownerId: publisherId } },
    ]);
    // The owner hears of it.
    const events = await readUserEvents(t.db, publisherId, 0, { limit: 1_000 });
    expect(events.at(-1)?.event).toEqual({ type: 'document.deleted', documentId: document.id });
  });
});

describe('passages', () => {
  it('opens a passage with its neighbours by ordinal', async () => {
    const document = await uploadDocument(alice, { filename: 'steps.md', bytes: guide('Heron', 4) });
    await ingestAll(t);
    const chunks = await chunksOf(document.id);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const middle = chunks[1]!;
    const response = await alice.fetch('GET', `/api/documents/${document.id}/passages/${middle.id}`);
    expect(response.status).toBe(200);
    const body = passageResponseSchema.parse(await response.json());
    expect(body.document.id).toBe(document.id);
    expect(body.passage).toMatchObject({ chunkId: middle.id, documentTitle: 'steps', text: middle.text });
    expect(body.before?.chunkId).toBe(chunks[0]!.id);
    expect(body.after?.chunkId).toBe(chunks[2]!.id);
    const first = passageResponseSchema.parse(
      await (await alice.fetch('GET', `/api/documents/${document.id}/passages/${chunks[0]!.id}`)).json(),
    );
    expect(first.before).toBeNull();

    // A chunk of another document under this document's id is not found.
    const other = await uploadDocument(alice, { filename: 'other.md', bytes: guide('Ibis') });
    await ingestAll(t);
    const [otherChunk] = await chunksOf(other.id);
    const crossed = await alice.fetch('GET', `/api/documents/${document.id}/passages/${otherChunk!.id}`);
    expect(crossed.status).toBe(404);
    expect(await code(crossed)).toBe('document.not_found');
  });
});

describe("another user's private document", () => {
  it('is 404 document.not_found on every route, and absent from every list and search', async () => {
    const secret = await uploadDocument(alice, { filename: 'secret.md', bytes: guide('Narwhal', 2) });
    await ingestAll(t);
    const [chunk] = await chunksOf(secret.id);
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/documents/${secret.id}`],
      ['GET', `/api/documents/${secret.id}/passages/${chunk!.id}`],
      ['POST', `/api/documents/${secret.id}/cancel`],
      ['POST', `/api/documents/${secret.id}/retry`],
      ['POST', `/api/documents/${secret.id}/reindex`],
      ['PATCH', `/api/documents/${secret.id}/audience`, { audience: 'private' }],
      ['DELETE', `/api/documents/${secret.id}`],
    ];
    for (const intruder of [bob, admin, publisher]) {
      for (const [method, path, body] of routes) {
        const response = await intruder.fetch(method, path, body === undefined ? {} : { body });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(await code(response)).toBe('document.not_found');
      }
      expect((await list(intruder, '?limit=100')).documents.map((d) => d.id)).not.toContain(secret.id);
      expect((await list(intruder, '?q=secret')).documents).toEqual([]);
    }
    const unknown = crypto.randomUUID();
    expect((await bob.fetch('GET', `/api/documents/${unknown}`)).status).toBe(404);
    // Still there, untouched.
    expect(await getDocument(alice, secret.id)).toMatchObject({ status: 'ready', audience: 'private' });
    expect(await auditFor(secret.id)).toEqual([]);
    const [row] = await t.db
      .select()
      .from(documents)
      .where(and(eq(documents.id, secret.id)));
    expect(row!.generation).toBe(1);
  });
});

function sqlRanks(documentId: string) {
  return sql`select e.audience_rank from chunk_embeddings e join document_chunks c on c.id = e.chunk_id
             where c.document_id = ${documentId}`;
}
