import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeployTokenResponseSchema, releaseHistoryResponseSchema, remoteStatusSchema } from '@atrium/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { canaryBucket } from '../bff/src/registry/canary-bucket.js';
import { ApiSession } from './support/api-session.js';
import { launchBrowser, openTab, remoteRequests, type Tab } from './support/browser.js';
import { type CliResult, createCli } from './support/cli.js';
import { type OriginServer, startOriginServer } from './support/origin-server.js';
import { admin, type Product, startProduct } from './support/product.js';
import { buildRemoteVersion, copyBuild } from './support/remote-builds.js';
import { signInThroughUi } from './support/sign-in.js';

/**
 * The release journey of a remote, end to end: a team publishes chat-core 1.1.0 with the CLI,
 * ops canary it to one user, roll back, and the already-open page follows at its next
 * navigation; a tampered chunk on an external origin falls back; a failing canary is rolled
 * back by the registry itself.
 */
let product: Product;
let browser: Browser;
let originServer: OriginServer;
let originDir: string;
let ops: ApiSession;
let cli: Awaited<ReturnType<typeof createCli>>;
let deployToken: string;
const password = 'a long enough password';
const people: { email: string; id: string }[] = [];
let inCanary: { email: string; id: string };
let outOfCanary: { email: string; id: string };
let canaryPercent: number;
let aliceTab: Tab;

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function chatVersion(page: Page): Promise<string> {
  const label = page.getByTestId('chat-core-version');
  await label.waitFor({ timeout: 15_000 }).catch(async (error: unknown) => {
    throw new Error(`chat-core did not render; the page shows: ${await page.locator('main').innerText()}`, {
      cause: error,
    });
  });
  return (await label.innerText()).trim();
}

/** A team's CDN release: build the version, put it on the external origin, publish it there with the CLI. */
async function publishOnOrigin(version: string): Promise<string> {
  const dist = await buildRemoteVersion('chat-core', version);
  const folder = join(originDir, 'chat-core', version);
  await mkdir(folder, { recursive: true });
  await copyBuild(dist, folder);
  const origin = `${originServer.url}/chat-core/${version}/`;
  ok(
    await cli([
      'remote',
      'publish',
      'chat-core',
      '--dist',
      dist,
      '--version',
      version,
      '--token',
      deployToken,
      '--origin',
      origin,
    ]),
  );
  return folder;
}

beforeAll(async () => {
  originDir = await mkdtemp(join(tmpdir(), 'atrium-origin-'));
  originServer = await startOriginServer(originDir);
  [product, browser] = await Promise.all([
    startProduct({
      ATRIUM_REMOTE_ORIGINS: originServer.url,
      ATRIUM_CANARY_MIN_SAMPLE: '2',
      ATRIUM_CANARY_MAX_FAILURE_RATE: '0.5',
    }),
    launchBrowser(),
  ]);
  ops = await ApiSession.signIn(product.url, admin.email, admin.password);
  cli = await createCli(product.url);
  const token = createDeployTokenResponseSchema.parse(
    await ops.request('POST', '/api/registry/tokens', { remote: 'chat-core', name: 'chat team CI' }),
  );
  deployToken = token.secret;
  // Two people whose canary buckets differ, so one percentage splits them.
  for (
    let i = 0;
    people.length < 2 || canaryBucket(people[0]!.id, 'chat-core') === canaryBucket(people[1]!.id, 'chat-core');
    i++
  ) {
    const user = await ops.createUser(`person${i}@e2e.test`, password, 'user');
    people.push({ email: user.email, id: user.id });
    if (people.length > 2) people.splice(1, 1);
  }
  [inCanary, outOfCanary] = [...people].sort(
    (a, b) => canaryBucket(a.id, 'chat-core') - canaryBucket(b.id, 'chat-core'),
  ) as [typeof inCanary, typeof outOfCanary];
  canaryPercent = canaryBucket(inCanary.id, 'chat-core') + 1;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
  await originServer?.close();
  await rm(originDir, { recursive: true, force: true });
});

test('a team publishes chat-core 1.1.0 with its deploy token, and ops canary it to one user', async () => {
  const dist = await buildRemoteVersion('chat-core', '1.1.0');
  const published = ok(
    await cli(['remote', 'publish', 'chat-core', '--dist', dist, '--version', '1.1.0', '--token', deployToken]),
  );
  expect(published.stdout).toContain('1.1.0');
  expect(published.stderr).toContain('100%');

  ok(await cli(['login', '--email', admin.email, '--password-stdin'], { stdin: `${admin.password}\n` }));
  ok(
    await cli([
      'remote',
      'canary',
      'chat-core',
      '1.1.0',
      '--percent',
      String(canaryPercent),
      '--reason',
      'try the new header',
    ]),
  );

  aliceTab = await openTab(browser);
  await signInThroughUi(aliceTab.page, product.url, inCanary.email, password, '/chat');
  expect(await chatVersion(aliceTab.page)).toBe('v1.1.0');

  const bobTab = await openTab(browser);
  await signInThroughUi(bobTab.page, product.url, outOfCanary.email, password, '/chat');
  expect(await chatVersion(bobTab.page)).toBe('v1.0.0');
  await bobTab.context.close();
});

test('a rollback reaches the open page at its next navigation into chat, without a reload', async () => {
  const { page } = aliceTab;
  await page.evaluate(() => Object.assign(window, { openedBeforeRollback: true }));
  const mapRefreshed = page.waitForResponse((response) => response.url().endsWith('/api/remotes'));

  const rolledBack = ok(await cli(['remote', 'rollback', 'chat-core', '--reason', 'header confuses people', '--yes']));
  expect(rolledBack.stdout + rolledBack.stderr).toContain('chat-core');
  await mapRefreshed;

  // The mounted remote is never swapped under the user's feet…
  expect(await chatVersion(page)).toBe('v1.1.0');
  // …the next navigation into chat gets the rolled-back version.
  await page.getByRole('link', { name: 'Documents' }).click();
  await page.locator('[data-remote="upload-ui"]').waitFor();
  await page.getByRole('link', { name: 'Chat', exact: true }).click();
  expect(await chatVersion(page)).toBe('v1.0.0');
  expect(await page.evaluate(() => 'openedBeforeRollback' in window)).toBe(true);

  const fresh = await openTab(browser);
  await signInThroughUi(fresh.page, product.url, inCanary.email, password, '/chat');
  expect(await chatVersion(fresh.page)).toBe('v1.0.0');
  await fresh.context.close();

  const history = releaseHistoryResponseSchema.parse(
    await ops.request('GET', '/api/registry/remotes/chat-core/history'),
  );
  expect(history.entries[0]).toMatchObject({ action: 'rollback', reason: 'header confuses people', automatic: false });
});

test('a tampered chunk on an external origin is refused by the browser and the shell falls back', async () => {
  const folder = await publishOnOrigin('1.2.0');
  ok(
    await cli([
      'remote',
      'canary',
      'chat-core',
      '1.2.0',
      '--percent',
      String(canaryPercent),
      '--reason',
      'served from the CDN',
    ]),
  );

  // After the registry verified every hash, someone changes a chunk on the origin.
  const expose = (await readdir(folder)).find((file) => file.startsWith('__federation_expose_mount'))!;
  await writeFile(join(folder, expose), '/* tampered */ alert(1);');

  const tab = await openTab(browser);
  const reports: string[] = [];
  await tab.page.route('**/api/telemetry', async (route) => {
    reports.push(route.request().postData() ?? '');
    await route.continue();
  });
  await signInThroughUi(tab.page, product.url, inCanary.email, password, '/chat');
  expect(await chatVersion(tab.page)).toBe('v1.0.0');
  expect(tab.requests.some((url) => url.startsWith(`${originServer.url}/chat-core/1.2.0/${expose}`))).toBe(true);
  await tab.page.getByText('Showing the previous version of chat-core.').waitFor();
  await expect
    .poll(() => reports.join('\n'), { timeout: 10_000 })
    .toMatch(/"remote":"chat-core","version":"1\.2\.0","outcome":"integrity_mismatch"/);
  await tab.context.close();
});

test('a failing canary is rolled back automatically, and admin shows it', async () => {
  const folder = await publishOnOrigin('1.3.0');
  ok(await cli(['remote', 'canary', 'chat-core', '1.3.0', '--percent', '100', '--reason', 'everyone tries 1.3.0']));
  // The origin loses the files: every load of the canary fails.
  await rm(folder, { recursive: true, force: true });

  for (const person of people) {
    const tab = await openTab(browser);
    const reports: string[] = [];
    await tab.page.route('**/api/telemetry', async (route) => {
      reports.push(route.request().postData() ?? '');
      await route.continue();
    });
    await signInThroughUi(tab.page, product.url, person.email, password, '/chat');
    expect(await chatVersion(tab.page)).toBe('v1.0.0');
    await expect
      .poll(() => reports.join('\n'), { timeout: 10_000 })
      .toMatch(/"remote":"chat-core","version":"1\.3\.0","outcome":"error"/);
    await tab.context.close();
  }

  await expect
    .poll(
      async () =>
        remoteStatusSchema.parse(await ops.request('GET', '/api/registry/remotes/chat-core')).release.canaryPercent,
      {
        timeout: 15_000,
      },
    )
    .toBe(0);
  const history = releaseHistoryResponseSchema.parse(
    await ops.request('GET', '/api/registry/remotes/chat-core/history'),
  );
  expect(history.entries[0]).toMatchObject({ action: 'auto_rollback', automatic: true });

  const adminTab = await openTab(browser);
  await signInThroughUi(adminTab.page, product.url, admin.email, admin.password, '/admin/releases/chat-core');
  await adminTab.page
    .locator('[data-testid="release-history"] [data-action="auto_rollback"][data-automatic="true"]')
    .first()
    .waitFor();
  expect(remoteRequests(adminTab, 'admin').length).toBeGreaterThan(0);
  await adminTab.context.close();
});
