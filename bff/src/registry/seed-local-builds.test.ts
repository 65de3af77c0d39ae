import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { releases, remoteVersions } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { Browser } from '../testing/browser.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { createRegistry } from './registry.js';
import { seedLocalBuilds } from './seed-local-builds.js';

/** A second registry over the same database: what another BFF instance starting up would do. */
const registryOf = (app: TestApp) =>
  createRegistry({
    db: app.db,
    bus: app.runtime.bus,
    clock: app.clock,
    logger: createLogger('debug', (line) => app.logs.push(JSON.parse(line))),
    config: loadConfig({}).registry,
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

  it('is idempotent, and publishes nothing for a remote the registry has versions of, even a changed build', async () => {
    await seedLocalBuilds(registryOf(t), 'once', t.staticDir);
    expect(await t.db.select().from(remoteVersions)).toHaveLength(2);
    writeFileSync(
      path.join(t.staticDir, 'remotes/chat-core/dist/remoteEntry.js'),
      'var chat_core = { changed: true };',
    );
    await seedLocalBuilds(registryOf(t), 'once', t.staticDir);
    expect(await t.db.select().from(remoteVersions)).toHaveLength(2);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining('release it with atrium remote publish') }),
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

  it('seeds nothing while signed releases are required (local builds are unsigned), and does once they are not', async () => {
    const fresh = await createTestApp({ env: { ATRIUM_SEED_LOCAL_REMOTES: 'false' } });
    try {
      const strict = createRegistry({
        db: fresh.db,
        bus: fresh.runtime.bus,
        clock: fresh.clock,
        logger: createLogger('debug', (line) => fresh.logs.push(JSON.parse(line))),
        config: { ...loadConfig({}).registry, requireSignedReleases: true },
      });
      await seedLocalBuilds(strict, 'once', fresh.staticDir);
      expect(await fresh.db.select().from(remoteVersions)).toHaveLength(0);
      expect(fresh.logs.map((l) => l.msg)).toContainEqual(expect.stringContaining('ATRIUM_REQUIRE_SIGNED_RELEASES'));

      await seedLocalBuilds(registryOf(fresh), 'once', fresh.staticDir);
      expect((await fresh.db.select().from(remoteVersions)).length).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
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

const repoRoot = path.join(import.meta.dirname, '../../..');
const chatCoreOf = async (app: TestApp) =>
  (await app.db.select().from(releases).where(eq(releases.remote, 'chat-core')))[0];
const versionsOf = async (app: TestApp) =>
  (await app.db.select().from(remoteVersions).where(eq(remoteVersions.remote, 'chat-core')))
    .map((v) => v.version)
    .sort();
/** What `pnpm --filter @atrium/chat-core build` leaves: a new entry, maybe under a new version. */
function rebuild(app: TestApp, marker: string, version?: string): void {
  const dir = path.join(app.staticDir, 'remotes/chat-core');
  writeFileSync(path.join(dir, 'dist/remoteEntry.js'), `var chat_core = { build: ${JSON.stringify(marker)} };`);
  if (version) writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@atrium/chat-core', version }));
}
async function signedIn(app: TestApp, role: 'ops' | 'admin'): Promise<Browser> {
  const email = `${role}@example.com`;
  await app.createUser({ email, role });
  const browser = new Browser(app);
  expect((await browser.signIn(email, testPassword)).status).toBe(200);
  return browser;
}

describe('the version a local build is registered as', () => {
  it('is the version baked into the build, not a package.json bumped after it was built', async () => {
    const app = await createTestApp({ env: { ATRIUM_SEED_LOCAL_REMOTES: 'false' } });
    try {
      writeFileSync(
        path.join(app.staticDir, 'remotes/chat-core/dist/mf-manifest.json'),
        JSON.stringify({ metaData: { buildInfo: { buildVersion: '1.2.2+0123456789abcdef' } } }),
      );
      await seedLocalBuilds(registryOf(app), 'once', app.staticDir);
      expect(await versionsOf(app)).toEqual(['1.2.2']);
      expect(app.logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringContaining('was built as 1.2.2 but package.json says 1.2.3'),
        }),
      );
    } finally {
      await app.close();
    }
  });
});

describe('local builds never override a release a person made', () => {
  it('pnpm start (seed once) neither publishes nor promotes a rebuild or a bumped version, across restarts', async () => {
    const scripts = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.start).not.toMatch(/ATRIUM_SEED_LOCAL_REMOTES/);
    expect(loadConfig({}).registry.seedLocalRemotes).toBe('once');

    const app = await createTestApp();
    try {
      expect(await chatCoreOf(app)).toMatchObject({ stable: '1.2.3', updatedBy: 'system' });
      rebuild(app, 'bumped', '1.3.0');
      await seedLocalBuilds(registryOf(app), 'once', app.staticDir);
      await seedLocalBuilds(registryOf(app), 'once', app.staticDir);
      expect(await versionsOf(app)).toEqual(['1.2.3']);
      expect(await chatCoreOf(app)).toMatchObject({ stable: '1.2.3', updatedBy: 'system' });
    } finally {
      await app.close();
    }
  });

  it('in development, a rebuild after a person released another version is published but not released, and the log says who decided', async () => {
    const app = await createTestApp({ env: { ATRIUM_SEED_LOCAL_REMOTES: 'false' } });
    const seed = async () => (await seedLocalBuilds(registryOf(app), 'watch', app.staticDir))();
    try {
      const ops = await signedIn(app, 'ops');
      await seed();
      rebuild(app, 'first change');
      await seed();
      const dev1 = (await chatCoreOf(app))?.stable;
      expect(dev1).toMatch(/^1\.2\.3-dev\.[0-9a-f]{8}$/);

      // 1.2.3-dev.… sorts before 1.2.3, so going back to 1.2.3 is a promote, not a rollback.
      const back = await ops.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version: '1.2.3', reason: 'the new header confuses people' },
      });
      expect(back.status).toBe(200);
      expect(await chatCoreOf(app)).toMatchObject({ stable: '1.2.3' });

      rebuild(app, 'second change');
      await seed();
      await seed();
      const versions = await versionsOf(app);
      expect(versions).toHaveLength(3);
      const dev2 = versions.find((v) => v !== '1.2.3' && v !== dev1)!;
      expect(await chatCoreOf(app)).toMatchObject({ stable: '1.2.3' });
      expect(app.logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringMatching(/^left chat-core alone: ops <ops@example\.com> promoted 1\.2\.3 at /),
          version: dev2,
        }),
      );

      // Promoting a -dev build hands the remote back to the development loop.
      const handBack = await ops.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version: dev2, reason: 'back to the dev loop' },
      });
      expect(handBack.status).toBe(200);
      rebuild(app, 'third change');
      await seed();
      const dev3 = (await chatCoreOf(app))?.stable;
      expect(dev3).toMatch(/^1\.2\.3-dev\./);
      expect(dev3).not.toBe(dev2);
    } finally {
      await app.close();
    }
  });
});
