import {
  apiErrorSchema,
  type DocumentAudience,
  type DocumentView,
  documentAudiences,
  documentResponseSchema,
  listDocumentsResponseSchema,
  passageResponseSchema,
  type Role,
  roles,
} from '@atrium/contracts';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasVectorSearch } from '../db/index.js';
import { documentChunks } from '../db/schema/index.js';
import type { Reader } from '../documents/access.js';
import { createLogger } from '../logger.js';
import { createOpenAiEmbedder } from '../retrieval/embeddings.js';
import { createRetriever, type Retriever } from '../retrieval/search.js';
import { insertChunkEmbeddings } from '../retrieval/vector-store.js';
import { Browser } from '../testing/browser.js';
import { ingestAll, uploadDocument } from '../testing/document-api.js';
import { embedText, type ScriptedEmbeddings, startScriptedEmbeddings } from '../testing/scripted-embeddings.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';

/*
 * Every role against every audience (issue 9 item 1; the rule is contracts' documents.ts):
 * list, get, passage and retrieval agree, and a document the reader may not see is a 404 and
 * never a passage. The expected table is written out here, not computed from the contract.
 */
const sees: Record<Role, readonly DocumentAudience[]> = {
  user: ['everyone'],
  ops: ['everyone'],
  agent_l1: ['everyone', 'agent_l1'],
  approver: ['everyone', 'agent_l1'],
  agent_l2: ['everyone', 'agent_l1', 'agent_l2'],
  admin: ['everyone', 'agent_l1', 'agent_l2'],
};

/** A word no other document holds, so a search for it finds this document or nothing. */
const keyword = (audience: DocumentAudience) => `zorblax${audience.replace('_', '')}`;

let t: TestApp;
let embeddings: ScriptedEmbeddings | null = null;
let retrievers: { name: string; retriever: Retriever }[];
const published = new Map<DocumentAudience, { document: DocumentView; chunkId: string }>();
const readers = new Map<Role, { browser: Browser; reader: Reader; own: DocumentView }>();

async function signedIn(email: string, role: Role) {
  const user = await t.createUser({ email, role });
  const browser = new Browser(t);
  await browser.signIn(email, testPassword);
  return { browser, reader: { userId: user.id, role } };
}

const firstChunk = async (documentId: string) =>
  (
    await t.db
      .select()
      .from(documentChunks)
      .where(eq(documentChunks.documentId, documentId))
      .orderBy(asc(documentChunks.ordinal))
  )[0]!;

beforeAll(async () => {
  t = await createTestApp({ env: { ATRIUM_WORKER: 'off' } });
  const publisher = await signedIn('publisher@example.com', 'agent_l2');
  for (const audience of documentAudiences) {
    const document = await uploadDocument(publisher.browser, {
      filename: `${audience}.md`,
      audience,
      bytes: `# For ${audience}\n\nThe word of this page is ${keyword(audience)}. Nothing else is written here.`,
    });
    published.set(audience, { document, chunkId: '' });
  }
  for (const role of roles) {
    const { browser, reader } = await signedIn(`reader-${role}@example.com`, role);
    const own = await uploadDocument(browser, {
      filename: 'mine.md',
      bytes: `# Notes of ${role}\n\nThe word of my notes is zorblaxown${role.replace('_', '')}.`,
    });
    readers.set(role, { browser, reader, own });
  }
  await ingestAll(t);
  for (const entry of published.values()) entry.chunkId = (await firstChunk(entry.document.id)).id;

  const logger = createLogger('silent');
  retrievers = [
    {
      name: 'full-text',
      retriever: createRetriever({ db: t.db, logger, embedder: null, vectorTables: false, topK: 50 }),
    },
  ];
  if (await hasVectorSearch(t.db)) {
    // Vectors for every chunk, so the vector search alone would find every document: only its access filter can keep one out.
    embeddings = await startScriptedEmbeddings();
    const model = embeddings.model;
    const dims = embeddings.dims;
    const chunks = await t.db.select().from(documentChunks);
    await t.db.transaction((tx) =>
      insertChunkEmbeddings(
        tx,
        model,
        chunks.map((c) => ({
          chunkId: c.id,
          ownerId: c.ownerId,
          audienceRank: c.audienceRank,
          embedding: embedText(c.text, dims),
        })),
      ),
    );
    const embedder = createOpenAiEmbedder({ model, baseUrl: embeddings.baseUrl, apiKey: null, timeoutMs: 5_000 });
    retrievers.push({
      name: 'hybrid',
      retriever: createRetriever({ db: t.db, logger, embedder, vectorTables: true, topK: 50, minSimilarity: -1 }),
    });
  }
});
afterAll(async () => {
  await embeddings?.close();
  await t.close();
});

describe.each(roles)('a reader with role %s', (role) => {
  const visible = (audience: DocumentAudience) => sees[role].includes(audience);

  it('lists exactly the documents of the audiences the role reads, and their own', async () => {
    const { browser, own } = readers.get(role)!;
    const page = listDocumentsResponseSchema.parse(
      await (await browser.fetch('GET', '/api/documents?limit=100')).json(),
    );
    const ids = page.documents.map((d) => d.id);
    for (const audience of documentAudiences) {
      expect(ids.includes(published.get(audience)!.document.id), audience).toBe(visible(audience));
    }
    const others = [...readers.entries()].filter(([r]) => r !== role).map(([, entry]) => entry.own.id);
    expect(ids).toContain(own.id);
    expect(ids.filter((id) => others.includes(id))).toEqual([]);
  });

  it.each(documentAudiences)(
    'gets a document shared with %s, and a passage of it, only when allowed',
    async (audience) => {
      const { browser } = readers.get(role)!;
      const { document, chunkId } = published.get(audience)!;
      const got = await browser.fetch('GET', `/api/documents/${document.id}`);
      const passage = await browser.fetch('GET', `/api/documents/${document.id}/passages/${chunkId}`);
      if (visible(audience)) {
        expect(got.status).toBe(200);
        expect(documentResponseSchema.parse(await got.json()).document).toMatchObject({ id: document.id, mine: false });
        expect(passage.status).toBe(200);
        expect(passageResponseSchema.parse(await passage.json()).passage.text).toContain(keyword(audience));
      } else {
        for (const response of [got, passage]) {
          expect(response.status).toBe(404);
          expect(apiErrorSchema.parse(await response.json()).code).toBe('document.not_found');
        }
      }
    },
  );

  it('retrieves passages only of documents the role may read, by full text and by vector', async () => {
    const { reader, own } = readers.get(role)!;
    for (const { name, retriever } of retrievers) {
      for (const audience of documentAudiences) {
        const found = await retriever.search(reader, keyword(audience));
        const documentIds = new Set(found.map((p) => p.documentId));
        expect(documentIds.has(published.get(audience)!.document.id), `${name} ${audience}`).toBe(visible(audience));
        // Whatever a search brings back (vector hits need no shared word) is readable.
        const readable = new Set([
          own.id,
          ...documentAudiences.filter(visible).map((a) => published.get(a)!.document.id),
        ]);
        expect(
          [...documentIds].filter((id) => !readable.has(id)),
          name,
        ).toEqual([]);
      }
      const otherOwn = [...readers.entries()].find(([r]) => r !== role)![1];
      const intruding = await retriever.search(reader, `zorblaxown${otherOwn.reader.role.replace('_', '')}`);
      expect(
        intruding.map((p) => p.documentId),
        name,
      ).not.toContain(otherOwn.own.id);
      expect((await retriever.search(reader, `zorblaxown${role.replace('_', '')}`)).map((p) => p.documentId)).toContain(
        own.id,
      );
    }
  });
});

describe('the owner', () => {
  it('reads every document they published, the private one included', async () => {
    const ownerId = published.get('private')!.document.ownerId;
    for (const { retriever } of retrievers) {
      for (const audience of documentAudiences) {
        const found = await retriever.search({ userId: ownerId, role: 'agent_l2' }, keyword(audience));
        expect(found.map((p) => p.documentId)).toContain(published.get(audience)!.document.id);
      }
    }
  });
});
