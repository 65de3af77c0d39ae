import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openTab, remoteRequests } from './support/browser.js';
import { journey } from './support/journey.js';
import { admin } from './support/product.js';
import { signInThroughUi } from './support/sign-in.js';

const root = join(import.meta.dirname, '..');
const started = journey();

test('admin signs in and each remote is downloaded only when its route is first visited', async () => {
  const tab = await openTab(started.browser);
  const { page } = tab;

  await signInThroughUi(page, started.product.url, admin.email, admin.password, '/chat');
  expect(remoteRequests(tab, 'auth-ui').length).toBeGreaterThan(0);

  await page.locator('[data-remote="chat-core"]').waitFor();
  expect(remoteRequests(tab, 'chat-core').length).toBeGreaterThan(0);
  expect(remoteRequests(tab, 'upload-ui')).toEqual([]);
  expect(remoteRequests(tab, 'admin')).toEqual([]);

  await page.getByRole('link', { name: 'Documents' }).click();
  await page.locator('[data-remote="upload-ui"]').waitFor();
  expect(remoteRequests(tab, 'upload-ui').length).toBeGreaterThan(0);
  expect(remoteRequests(tab, 'admin')).toEqual([]);

  await page.getByRole('link', { name: 'Admin' }).click();
  await page.locator('[data-remote="admin"]').waitFor();
  expect(remoteRequests(tab, 'admin').length).toBeGreaterThan(0);

  // Every remote entry and chunk came from its versioned path, each file at most once.
  const remoteFiles = tab.requests.filter((url) => url.includes('/remotes/'));
  expect(new Set(remoteFiles).size).toBe(remoteFiles.length);
  expect(tab.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
});

/** The chunk files a build would use for each React package if it were not shared (its mf-manifest.json). */
function reactChunks(dist: string): Map<string, string[]> {
  const manifest = JSON.parse(readFileSync(join(root, dist, 'mf-manifest.json'), 'utf8')) as {
    shared: { name: string; assets: { js: { sync: string[]; async: string[] } } }[];
  };
  return new Map(
    manifest.shared
      .filter((shared) => ['react', 'react-dom', 'react-dom/client'].includes(shared.name))
      .map((shared) => [shared.name, [...shared.assets.js.sync, ...shared.assets.js.async]]),
  );
}

test('React is downloaded exactly once: from the shell, never from a remote', async () => {
  const tab = await openTab(started.browser);
  await signInThroughUi(tab.page, started.product.url, admin.email, admin.password, '/chat');
  for (const [link, remote] of [
    ['Documents', 'upload-ui'],
    ['Admin', 'admin'],
    ['Chat', 'chat-core'],
  ] as const) {
    await tab.page.getByRole('link', { name: link }).click();
    await tab.page.locator(`[data-remote="${remote}"]`).waitFor();
  }
  const fileName = (url: string) => new URL(url).pathname.split('/').pop()!;
  const shellFiles = tab.requests.filter((url) => new URL(url).pathname.startsWith('/shell/')).map(fileName);
  expect(new Set(shellFiles).size).toBe(shellFiles.length);
  for (const [pkg, chunks] of reactChunks('shell/dist')) {
    expect(
      shellFiles.filter((file) => chunks.includes(file)),
      `${pkg} from the shell`,
    ).not.toEqual([]);
  }
  for (const remote of ['chat-core', 'auth-ui', 'admin', 'upload-ui']) {
    const own = new Set([...reactChunks(`remotes/${remote}/dist`).values()].flat());
    expect(own.size).toBeGreaterThan(0);
    expect(
      remoteRequests(tab, remote).filter((url) => own.has(fileName(url))),
      `React chunks of ${remote}`,
    ).toEqual([]);
  }
});
