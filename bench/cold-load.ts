import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { rspack, type Stats } from '@rspack/core';
import type { Browser } from 'playwright-core';
import { ApiSession } from '../e2e/support/api-session.js';
import { launchBrowser } from '../e2e/support/browser.js';
import { admin, type Product, startProduct } from '../e2e/support/product.js';
import { flag, helpRequested, percentile } from './harness.js';
import monolithConfig from './monolith/rspack.config.js';

const repoRoot = join(import.meta.dirname, '..');
const loadTimeoutMs = 30_000;
/** Each BFF's readiness wait: boots take over 60 s when the two cores are busy with other work. */
const readyTimeoutMs = 240_000;

interface Variant {
  name: string;
  env: Record<string, string>;
}

interface Sample {
  ms: number;
  jsBytes: number;
  jsRequests: number;
  remoteMapRequests: number;
  encodings: Set<string>;
  /** Encoded (gzip) bytes of each `.js` file loaded, by path. */
  files: Map<string, number>;
}

/** The issue's baseline: the same app as one bundle (bench/monolith), first, so ratios are against it. */
const oneBundle: Variant = {
  name: 'one bundle, no federation (baseline)',
  env: { ATRIUM_STATIC_DIR: join(import.meta.dirname, 'monolith', 'dist'), ATRIUM_SEED_LOCAL_REMOTES: 'false' },
};

function chosenVariants(): Variant[] {
  const list: Variant[] = [oneBundle, { name: 'federated, map inlined', env: {} }];
  const beforeIndex = process.argv.indexOf('--before');
  if (beforeIndex >= 0) {
    const dir = resolve(process.argv[beforeIndex + 1] ?? '');
    requireBuilt(dir);
    list.push({ name: 'federated, map inlined, --before build', env: { ATRIUM_STATIC_DIR: dir } });
  }
  if (!process.argv.includes('--no-map-request')) {
    list.push({ name: 'federated, map by GET /api/remotes', env: { ATRIUM_INLINE_REMOTE_MAP: 'false' } });
  }
  return list;
}

// Runs before the page's own scripts: notes when chat-core's view is in the DOM and rendered visible.
const markChatVisible = `
  new MutationObserver((_, observer) => {
    const view = document.querySelector('[data-testid="chat-home"]');
    if (view && view.checkVisibility()) {
      window.__chatVisibleAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
`;

function requireBuilt(root: string): void {
  for (const file of ['shell/dist/index.html', 'remotes/chat-core/dist/remoteEntry.js']) {
    if (!existsSync(join(root, file)))
      throw new Error(`${join(root, file)} is missing: run \`pnpm build\` in ${root} first`);
  }
}

async function buildMonolith(): Promise<void> {
  const stats = await new Promise<Stats | undefined>((resolve, reject) =>
    rspack(monolithConfig(undefined, { mode: 'production' })).run((error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
  if (!stats || stats.hasErrors()) throw new Error(`monolith build failed:\n${stats?.toString('errors-only')}`);
}

/** One cold load of /chat: fresh context (empty cache, cache disabled), gzip only, signed in. */
async function coldLoad(browser: Browser, url: string, cookieHeader: string, latencyMs: number): Promise<Sample> {
  const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Encoding': 'gzip' } });
  try {
    await context.addCookies(
      cookieHeader.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), url };
      }),
    );
    await context.addInitScript(markChatVisible);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (latencyMs > 0) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: latencyMs,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    }
    const encodings = new Set<string>();
    let remoteMapRequests = 0;
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      // Files under 1 KB are sent uncompressed by design; anything else must be gzip.
      const encoding = response.headers()['content-encoding'];
      if (path.endsWith('.js') && encoding) encodings.add(encoding);
      if (path === '/api/remotes') remoteMapRequests++;
    });
    await page.goto(`${url}/chat`, { waitUntil: 'commit', timeout: loadTimeoutMs });
    await page.locator('[data-testid="chat-home"]').waitFor({ state: 'visible', timeout: loadTimeoutMs });
    await page.waitForFunction(() => '__chatVisibleAt' in window, null, { timeout: loadTimeoutMs });
    const measured = await page.evaluate(() => {
      const scripts = performance
        .getEntriesByType('resource')
        .filter((entry) => new URL(entry.name).pathname.endsWith('.js')) as PerformanceResourceTiming[];
      return {
        ms: (window as unknown as { __chatVisibleAt: number }).__chatVisibleAt,
        jsBytes: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
        jsRequests: scripts.length,
        files: scripts.map((entry) => [new URL(entry.name).pathname, entry.encodedBodySize] as const),
      };
    });
    return { ...measured, files: new Map(measured.files), remoteMapRequests, encodings };
  } finally {
    await context.close();
  }
}

if (
  !helpRequested(`
cold-load — (b) cold load of /chat (shell + chat-core) in Chromium, signed in, gzip only.
  Variants, interleaved run by run, each served by its own BFF (same code, in-memory PGlite):
    baseline    bench/monolith: the same app as one bundle (the shell's layout + chat-core's Root,
                same preset, no federation); the issue's goals are ratios to it
    federated   this checkout's build, remote map inlined in the HTML (the default)
    before      (with --before DIR) the same, served from another checkout built at the baseline
                commit: before -> after in one run
    separate    federated, ATRIUM_INLINE_REMOTE_MAP=false: the shell fetches GET /api/remotes
  Per variant: first-load JS (gzip, summed encoded body size of every .js), JS requests, and time
  from navigation start to [data-testid="chat-home"] visible; p50/p90 and ratios to the baseline.
  Goals (issue 12): JS ratio <= 1.15, visible p50 ratio <= 1.2. Load average printed at start/end.
  Needs \`pnpm build\` first (shell and remotes); builds bench/monolith itself.
  --runs N           cold loads per variant (default 15)
  --latency MS       added to every request by Chromium's network emulation (default 0: bare
                     loopback, where a round trip costs almost nothing)
  --before DIR       also load a checkout at DIR (built with \`pnpm build\`) as the "before" build
  --no-map-request   leave out the map-by-request variant
  --files            list every JS file of one cold load per variant (gzip bytes)
`)
) {
  const runs = flag('runs', 15);
  const latency = flag('latency', 0);
  const variants = chosenVariants();
  const loadStart = loadavg();
  // Bounded: every load has its own timeout; this catches anything that would still hang.
  const watchdog = setTimeout(
    () => {
      process.stderr.write('cold-load: gave up (time limit)\n');
      process.exit(1);
    },
    (runs + 1) * variants.length * loadTimeoutMs + variants.length * readyTimeoutMs + 180_000,
  );
  watchdog.unref();

  requireBuilt(repoRoot);
  await buildMonolith();
  const products: Product[] = [];
  let browser: Browser | undefined;
  try {
    // One at a time: several BFFs booting at once on a busy 2-core machine outlast any wait.
    for (const variant of variants) {
      products.push(await startProduct({ ...variant.env, LOG_LEVEL: 'error' }, readyTimeoutMs));
    }
    const cookies = await Promise.all(
      products.map(async (product) =>
        (await ApiSession.signIn(product.url, admin.email, admin.password)).cookieHeader(),
      ),
    );
    browser = await launchBrowser();
    // Unmeasured: the BFF compresses each immutable file once, on its first request.
    for (const [index, product] of products.entries()) await coldLoad(browser, product.url, cookies[index]!, latency);

    const samples: Sample[][] = variants.map(() => []);
    for (let run = 0; run < runs; run++) {
      // Rotated each run, so no variant always goes first on a noisy machine.
      for (let step = 0; step < variants.length; step++) {
        const index = (run + step) % variants.length;
        samples[index]!.push(await coldLoad(browser, products[index]!.url, cookies[index]!, latency));
      }
    }

    const pct = (list: Sample[], key: 'ms' | 'jsBytes' | 'jsRequests' | 'remoteMapRequests', p: number) =>
      percentile(
        list.map((sample) => sample[key]).sort((x, y) => x - y),
        p,
      );
    const stats = samples.map((list) => ({
      p50: pct(list, 'ms', 50),
      p90: pct(list, 'ms', 90),
      kb: pct(list, 'jsBytes', 50) / 1024,
      requests: pct(list, 'jsRequests', 50),
      mapRequests: pct(list, 'remoteMapRequests', 50),
      encodings: [...new Set(list.flatMap((sample) => [...sample.encodings]))].join(','),
    }));
    const base = stats[0]!;
    const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
    let out = `cold load of /chat, ${runs} runs per variant, interleaved (Chromium, loopback + ${latency} ms per request, cache disabled)\n`;
    out += `load average at start ${load(loadStart)}, at end ${load(loadavg())} (1/5/15 min)\n`;
    out += `  ${'variant'.padEnd(40)} ${'JS gzip'.padStart(9)} ${'JS req'.padStart(6)} ${'/api/remotes'.padStart(12)} ${'visible p50'.padStart(11)} ${'p90'.padStart(9)}   ratio to baseline: bytes / p50 / p90\n`;
    for (const [index, variant] of variants.entries()) {
      const s = stats[index]!;
      out +=
        `  ${variant.name.padEnd(40)} ${`${s.kb.toFixed(1)} KB`.padStart(9)} ${String(s.requests).padStart(6)} ` +
        `${String(s.mapRequests).padStart(12)} ${`${s.p50.toFixed(0)} ms`.padStart(11)} ${`${s.p90.toFixed(0)} ms`.padStart(9)}` +
        `   ${(s.kb / base.kb).toFixed(2)} / ${(s.p50 / base.p50).toFixed(2)} / ${(s.p90 / base.p90).toFixed(2)}` +
        (s.encodings === 'gzip' ? '\n' : `   (JS content-encoding: ${s.encodings})\n`);
    }
    out += '  goals (issue 12): bytes ratio <= 1.15, p50 ratio <= 1.2\n';
    if (process.argv.includes('--files')) {
      for (const [index, variant] of variants.entries()) {
        out += `files of one cold load, ${variant.name}:\n`;
        const files = [...samples[index]![0]!.files].sort((x, y) => y[1] - x[1]);
        for (const [path, bytes] of files) out += `  ${`${(bytes / 1024).toFixed(1)} KB`.padStart(9)}  ${path}\n`;
      }
    }
    process.stdout.write(out);
  } finally {
    await browser?.close();
    await Promise.all(products.map((product) => product.stop()));
  }
  process.exit(0);
}
