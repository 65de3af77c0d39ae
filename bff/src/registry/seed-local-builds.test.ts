import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { releases, remoteVersions } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { createRegistry } from './registry.js';
import { seedLocalBuilds } from './seed-local-builds.js';

/** A second registry over the same database: what another BFF instance starting up would do. */
const registryOf = (app: TestApp) =>
  createRegistry({
    db: app.db,
    clock: app.clock,
    logger: createLogger('debug', (line) => app.logs.push(JSON.parse(line))),
    config: loadConfig({}).registry,
    publishReleaseChanged: async () => undefined,
  });

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('seeding local builds', () => {
  it('publishes each built remote as system and makes it stable when mountable', async () => {
    const versions = await t.db.select().from(remoteVersions);
    expect(versions.map((v) => `${v.remote}@${v.version}:${v.publishedBy}`).sort()).toEqual([
      'admin@2.0.0:system',
      'chat-core@1.2.3:system',
    ]);
    expect(versions.find((v) => v.remote === 'chat-core')?.files.map((f) => f.path)).toEqual([
      'mf-manifest.json',
      'remoteEntry.js',
      'static/js/chunk.9f8e7d.js',
    ]);
    const rows = await t.db.select().from(releases);
    expect(rows.find((r) => r.remote === 'chat-core')).toMatchObject({ stable: '1.2.3' });
    expect(rows.find((r) => r.remote === 'admin')?.stable ?? null).toBeNull();
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('admin 2.0.0 speaks admin@2') }),
    );
  });

  it('is idempotent, and warns when a build changed under the same version', async () => {
    await seedLocalBuilds(registryOf(t), 'once', t.staticDir);
    expect(await t.db.select().from(remoteVersions)).toHaveLength(2);
    writeFileSync(
      path.join(t.staticDir, 'remotes/chat-core/dist/remoteEntry.js'),
      'var chat_core = { changed: true };',
    );
    await seedLocalBuilds(registryOf(t), 'once', t.staticDir);
    expect(await t.db.select().from(remoteVersions)).toHaveLength(2);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('bump the version') }),
    );
  });

  it('in development, releases each rebuild as a -dev prerelease named after its entry', async () => {
    const stop = await seedLocalBuilds(registryOf(t), 'watch', t.staticDir);
    stop();
    const rows = await t.db.select().from(releases);
    const chat = rows.find((r) => r.remote === 'chat-core');
    expect(chat?.stable).toMatch(/^1\.2\.3-dev\.[a-f0-9]{8}$/);
    expect(chat?.previousStable).toBe('1.2.3');
    const again = await seedLocalBuilds(registryOf(t), 'watch', t.staticDir);
    again();
    expect((await t.db.select().from(remoteVersions)).filter((v) => v.remote === 'chat-core')).toHaveLength(2);
  });

  it('can be turned off', async () => {
    const off = await createTestApp({ env: { ATRIUM_SEED_LOCAL_REMOTES: 'false' } });
    try {
      expect(await off.db.select().from(remoteVersions)).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});
