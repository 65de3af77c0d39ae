import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type BootPayload,
  bootElementId,
  bootPayloadSchema,
  bootPlaceholder,
  remoteNameSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { readStoredFile } from '../registry/stored-files.js';
import { cacheControlOf, contentTypeOf, readStaticFile, resolveInside } from '../static/files.js';
import { remotePreloadTags } from '../static/remote-preload.js';
import { preSessionCsrfToken, toMe } from './auth.js';

async function serveFile(c: Context<AppEnv>, root: string, urlPath: string): Promise<Response> {
  const file = resolveInside(root, urlPath);
  const body = file ? await readStaticFile(file) : null;
  if (!file || !body) return c.notFound();
  return c.body(new Uint8Array(body), 200, {
    'Content-Type': contentTypeOf(file),
    'Cache-Control': cacheControlOf(file),
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

/** JSON inside a script element: `<` escaped so no `</script>` or `<!--` can end the element early. */
export function renderBootScript(payload: BootPayload): string {
  const json = JSON.stringify(bootPayloadSchema.parse(payload)).replace(/</g, '\\u003c');
  return `<script id="${bootElementId}" type="application/json">${json}</script>`;
}

async function serveShellHtml(c: Context<AppEnv>): Promise<Response> {
  const { config, resolveRemoteMap } = c.get('deps');
  const template = await readFile(path.join(config.staticDir, 'shell', 'dist', 'index.html'), 'utf8').catch(() => null);
  if (template === null) {
    return c.text('The shell is not built yet. Run `pnpm build` in the repository root, then reload.', 503, {
      'Cache-Control': 'no-store',
    });
  }
  const session = c.get('session');
  const user = c.get('user');
  const payload: BootPayload = {
    me: session && user ? await toMe(c.get('deps'), session, user) : null,
    csrfToken: session?.csrfToken ?? preSessionCsrfToken(c),
    remotes: config.inlineRemoteMap ? await resolveRemoteMap(user) : null,
  };
  c.header('Cache-Control', 'no-store');
  // Scripts without integrity metadata are refused by browsers that enforce this.
  c.header('Integrity-Policy', 'blocked-destinations=(script)');
  return c.html(
    template.replace(bootPlaceholder, () => renderBootScript(payload) + remotePreloadTags(c.req.path, payload)),
  );
}

export const shellRoutes = new Hono<AppEnv>()
  .get('/shell/*', (c) =>
    serveFile(c, path.join(c.get('deps').config.staticDir, 'shell', 'dist'), c.req.path.slice('/shell/'.length)),
  )
  .get('/remotes/:name/:version/*', async (c) => {
    const name = remoteNameSchema.safeParse(c.req.param('name'));
    if (!name.success) return c.notFound();
    const version = c.req.param('version');
    const filePath = c.req.path.slice(`/remotes/${name.data}/${version}/`.length);
    const body = await readStoredFile(c.get('deps').registry, name.data, version, filePath);
    if (!body) return c.notFound();
    // The version is in the URL and versions are immutable, so every file is, the entry included.
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': contentTypeOf(filePath),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  })
  .get('*', async (c, next) => {
    const wantsHtml = c.req.header('accept')?.includes('text/html') ?? false;
    if (c.req.path.startsWith('/api/') || !wantsHtml) return next();
    return serveShellHtml(c);
  });
