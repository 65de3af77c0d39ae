import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults: embedded database, port 3000, 60 min idle, 12 h absolute', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database.driver).toBe('pglite');
    expect(config.session).toEqual({ idleMs: 60 * 60_000, absoluteMs: 12 * 3_600_000 });
    expect(config.publicOrigin).toBeNull();
    expect(config.inlineRemoteMap).toBe(true);
    expect(loadConfig({ ATRIUM_INLINE_REMOTE_MAP: 'false' }).inlineRemoteMap).toBe(false);
  });

  it('picks Postgres from DATABASE_URL and treats an empty value as unset', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/atrium' }).database).toEqual({
      driver: 'postgres',
      url: 'postgres://u@db:5432/atrium',
    });
    expect(loadConfig({ DATABASE_URL: '', ATRIUM_DATA_DIR: 'memory://' }).database).toEqual({
      driver: 'pglite',
      dataDir: 'memory://',
    });
  });

  it('names every bad variable in one clear error', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', ATRIUM_PUBLIC_ORIGIN: 'https://a.example/path', ATRIUM_ADMIN_PASSWORD: 'short' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', ATRIUM_PUBLIC_ORIGIN: 'https://a.example/path', ATRIUM_ADMIN_PASSWORD: 'short' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('ATRIUM_PUBLIC_ORIGIN');
      expect(message).toContain('ATRIUM_ADMIN_PASSWORD');
    }
  });

  it('runs the ingestion worker in-process by default, with 25 MB uploads, 2000-page PDFs and 2 documents at once', () => {
    const config = loadConfig({});
    expect(config.worker).toEqual({ mode: 'inline', ingestConcurrency: 2 });
    expect(config.documents.uploadMaxBytes).toBe(25 * 1024 * 1024);
    expect(config.documents.pdfMaxPages).toBe(2000);
    expect(config.documents.dir.endsWith('/.data/documents')).toBe(true);
    const set = loadConfig({
      ATRIUM_WORKER: 'off',
      ATRIUM_INGEST_CONCURRENCY: '4',
      ATRIUM_DOCUMENT_DIR: '/srv/atrium/documents',
      ATRIUM_UPLOAD_MAX_BYTES: '1000',
      ATRIUM_PDF_MAX_PAGES: '10',
    });
    expect(set.worker).toEqual({ mode: 'off', ingestConcurrency: 4 });
    expect(set.documents).toMatchObject({ dir: '/srv/atrium/documents', uploadMaxBytes: 1000, pdfMaxPages: 10 });
    expect(() => loadConfig({ ATRIUM_WORKER: 'elsewhere' })).toThrow(/ATRIUM_WORKER/);
  });

  it('gives an in-memory database a document directory of its own, so it never removes files of another database', () => {
    const a = loadConfig({ ATRIUM_DATA_DIR: 'memory://' }).documents.dir;
    const b = loadConfig({ ATRIUM_DATA_DIR: 'memory://' }).documents.dir;
    expect(a).not.toBe(b);
    expect(a.startsWith(tmpdir())).toBe(true);
    expect(loadConfig({ ATRIUM_DATA_DIR: 'memory://', ATRIUM_DOCUMENT_DIR: '/srv/docs' }).documents.dir).toBe(
      '/srv/docs',
    );
  });

  it('seeds the demo knowledge base with the embedded database, not with DATABASE_URL unless asked', () => {
    const postgres = 'postgres://db/atrium';
    expect(loadConfig({}).documents.seedDemoKb).toBe(true);
    expect(loadConfig({ ATRIUM_SEED_DEMO_KB: 'false' }).documents.seedDemoKb).toBe(false);
    expect(loadConfig({ DATABASE_URL: postgres }).documents.seedDemoKb).toBe(false);
    expect(loadConfig({ DATABASE_URL: postgres, ATRIUM_SEED_DEMO_KB: 'true' }).documents.seedDemoKb).toBe(true);
    expect(loadConfig({}).documents.demoKbDir.endsWith('/bff/demo-kb')).toBe(true);
    expect(() => loadConfig({ ATRIUM_SEED_DEMO_KB: 'yes' })).toThrow(/ATRIUM_SEED_DEMO_KB/);
  });

  it('masks every kind by default; each group can be turned off', () => {
    expect(loadConfig({}).guardrails.mask.kinds).toEqual([
      'api_key',
      'jwt',
      'bearer_token',
      'private_key',
      'email',
      'phone',
      'card_number',
    ]);
    expect(loadConfig({ ATRIUM_MASK_SECRETS: 'false', ATRIUM_MASK_PHONES: 'false' }).guardrails.mask.kinds).toEqual([
      'email',
      'card_number',
    ]);
    expect(() => loadConfig({ ATRIUM_MASK_EMAILS: 'no' })).toThrow(/ATRIUM_MASK_EMAILS/);
  });

  it('caps refunds at 500.00 and allows no HTTP tool host unless listed', () => {
    expect(loadConfig({}).tools).toEqual({ refundMaxCents: 50_000, httpAllowHosts: [] });
    const listed = loadConfig({
      ATRIUM_HTTP_TOOL_ALLOW_HOSTS: ' API.example.com, *.corp.example ,',
      ATRIUM_REFUND_MAX_CENTS: '999',
    });
    expect(listed.tools).toEqual({ refundMaxCents: 999, httpAllowHosts: ['api.example.com', '*.corp.example'] });
    expect(() => loadConfig({ ATRIUM_HTTP_TOOL_ALLOW_HOSTS: 'https://api.example.com' })).toThrow(
      /ATRIUM_HTTP_TOOL_ALLOW_HOSTS/,
    );
    expect(() => loadConfig({ ATRIUM_REFUND_MAX_CENTS: '0' })).toThrow(/ATRIUM_REFUND_MAX_CENTS/);
  });

  it('has no default monthly budget unless ATRIUM_DEFAULT_MONTHLY_BUDGET_USD says one, and refuses a negative one', () => {
    expect(loadConfig({}).usage).toEqual({ defaultMonthlyBudgetUsd: null });
    expect(loadConfig({ ATRIUM_DEFAULT_MONTHLY_BUDGET_USD: '' }).usage.defaultMonthlyBudgetUsd).toBeNull();
    expect(loadConfig({ ATRIUM_DEFAULT_MONTHLY_BUDGET_USD: '12.5' }).usage.defaultMonthlyBudgetUsd).toBe(12.5);
    expect(() => loadConfig({ ATRIUM_DEFAULT_MONTHLY_BUDGET_USD: '-1' })).toThrow(/ATRIUM_DEFAULT_MONTHLY_BUDGET_USD/);
    expect(() => loadConfig({ ATRIUM_DEFAULT_MONTHLY_BUDGET_USD: 'lots' })).toThrow(
      /ATRIUM_DEFAULT_MONTHLY_BUDGET_USD/,
    );
  });
});
