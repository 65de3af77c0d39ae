import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BootPayload, ResolvedRemote, Role } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { remotePreloadTags, remoteRoutes } from './remote-preload.js';

const integrity = `sha384-${'A'.repeat(64)}`;
const canaryIntegrity = `sha384-${'B'.repeat(64)}`;

function build(name: ResolvedRemote['name'], version: string, hash = integrity): ResolvedRemote {
  return {
    name,
    version,
    entry: `/remotes/${name}/${version}/remoteEntry.js`,
    integrity: hash,
    contract: `${name}@1`,
    fallback: null,
  };
}

function payload(me: { role: Role; mustChangePassword?: boolean } | null, withMap = true): BootPayload {
  return {
    me: me
      ? ({
          user: { role: me.role },
          mustChangePassword: me.mustChangePassword ?? false,
        } as unknown as BootPayload['me'])
      : null,
    csrfToken: 'token',
    remotes: withMap
      ? {
          generatedAt: '2026-11-30T00:00:00.000Z',
          remotes: {
            'chat-core': build('chat-core', '1.3.0-canary', canaryIntegrity),
            'auth-ui': build('auth-ui', '1.0.0'),
          },
        }
      : null,
  };
}

describe('preload of the remote entry the shell loads first', () => {
  it('names the build the inlined map gives this user (a canary too), with its integrity and crossorigin', () => {
    expect(remotePreloadTags('/chat', payload({ role: 'user' }))).toBe(
      `<link rel="preload" as="script" href="/remotes/chat-core/1.3.0-canary/remoteEntry.js" integrity="${canaryIntegrity}" crossorigin="anonymous">`,
    );
    expect(remotePreloadTags('/chat/42', payload({ role: 'user' }))).toContain('chat-core/1.3.0-canary');
    expect(remotePreloadTags('/login', payload(null))).toContain('/remotes/auth-ui/1.0.0/remoteEntry.js');
  });

  it('preloads nothing where the shell loads no remote for this user', () => {
    expect(remotePreloadTags('/chat', payload(null))).toBe('');
    expect(remotePreloadTags('/chat', payload({ role: 'user', mustChangePassword: true }))).toBe('');
    expect(remotePreloadTags('/chat', payload({ role: 'user' }, false))).toBe('');
    expect(remotePreloadTags('/admin', payload({ role: 'user' }))).toBe('');
    // A permitted route whose remote has no build in the map.
    expect(remotePreloadTags('/uploads', payload({ role: 'user' }))).toBe('');
    expect(remotePreloadTags('/', payload({ role: 'user' }))).toBe('');
    expect(remotePreloadTags('/chatty', payload({ role: 'user' }))).toBe('');
  });

  it('follows the shell router: the same remote, path and guard for every remote route', () => {
    const router = readFileSync(join(import.meta.dirname, '../../../shell/src/app/router.tsx'), 'utf8');
    const routes = [...router.matchAll(/path: '([^']+)',[\s\S]*?<RemoteOutlet name="([^"]+)" basePath="([^"]+)"/g)].map(
      ([block, path, remote, basePath]) => {
        const guard = /<RequirePermission(?: permission="([^"]+)")?>/.exec(block!);
        expect(`/${path!.replace(/\/\*$/, '')}`).toBe(basePath);
        return { prefix: basePath!, remote: remote!, guard: guard ? (guard[1] ?? 'signed-in') : 'none' };
      },
    );
    expect(routes).toHaveLength(5);
    expect([...remoteRoutes].sort((a, b) => a.prefix.localeCompare(b.prefix))).toEqual(
      routes.sort((a, b) => a.prefix.localeCompare(b.prefix)),
    );
  });
});
