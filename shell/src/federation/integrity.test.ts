import type { ModuleFederationRuntimePlugin } from '@module-federation/enhanced/runtime';
import { beforeAll, describe, expect, it } from 'vitest';

type CreateScript = NonNullable<ModuleFederationRuntimePlugin['createScript']>;
type LoadEntry = NonNullable<ModuleFederationRuntimePlugin['loadEntry']>;

let integrity: typeof import('./integrity.js');

beforeAll(async () => {
  // The plugin resolves URLs against the page and builds <script> elements: give it just that.
  Object.assign(globalThis, {
    location: { href: 'https://atrium.test/chat' },
    document: { createElement: () => ({}) },
  });
  integrity = await import('./integrity.js');
});

describe('entry pinning', () => {
  it('refuses to load an entry whose hash was never pinned (fail closed)', () => {
    const plugin = integrity.integrityPlugin();
    const loadEntry = plugin.loadEntry as LoadEntry;
    const unpinned = { remoteInfo: { entry: '/remotes/admin/9.9.9/remoteEntry.js' } } as Parameters<LoadEntry>[0];
    expect(() => loadEntry(unpinned)).toThrow(integrity.IntegrityRefusal);
    const createScript = plugin.createScript as CreateScript;
    expect(() => createScript({ url: 'https://evil.test/remoteEntry.js' })).toThrow(integrity.IntegrityRefusal);
  });

  it('loads a pinned entry as a CORS script carrying its hash, whatever relative form the URL takes', () => {
    integrity.pinEntry('/remotes/chat-core/1.0.0/remoteEntry.js', 'sha384-abc');
    const plugin = integrity.integrityPlugin();
    const result = (plugin.createScript as CreateScript)({
      url: 'https://atrium.test/remotes/chat-core/1.0.0/remoteEntry.js',
    }) as { script: { src: string; integrity: string; crossOrigin: string } };
    expect(result.script).toEqual({
      src: 'https://atrium.test/remotes/chat-core/1.0.0/remoteEntry.js',
      integrity: 'sha384-abc',
      crossOrigin: 'anonymous',
    });
  });
});
