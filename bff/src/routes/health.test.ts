import { readyResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasVectorSearch } from '../db/index.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('answers /healthz', async () => {
    const response = await t.app.request('http://localhost/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the database check and says retrieval is full-text only, and why', async () => {
    const response = await t.app.request('http://localhost/readyz');
    expect(response.status).toBe(200);
    // PGlite ships pgvector; Debian's PostgreSQL (the CI service here) does not.
    const reason = (await hasVectorSearch(t.db))
      ? 'no embedding model is configured (ATRIUM_EMBEDDING_MODEL)'
      : 'the database has no pgvector extension';
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok' },
      details: { retrieval: { vector: false, reason } },
    });
  });

  it('says in /readyz that retrieval searches vectors when a model is configured and pgvector exists', async () => {
    const vectorTables = await hasVectorSearch(t.db);
    const withModel = await createTestApp({
      env: { ATRIUM_EMBEDDING_MODEL: 'scripted-embedding', ATRIUM_EMBEDDING_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    try {
      const body = readyResponseSchema.parse(await (await withModel.app.request('http://localhost/readyz')).json());
      expect(body.details?.retrieval).toEqual(
        vectorTables
          ? { vector: true, reason: null }
          : { vector: false, reason: 'the database has no pgvector extension' },
      );
    } finally {
      await withModel.close();
    }
  });

  it('answers /readyz with 503 when the database is gone', async () => {
    const broken = await createTestApp();
    await broken.close();
    const response = await broken.app.request('http://localhost/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'not_ready', checks: { database: 'failed' } });
  });
});
