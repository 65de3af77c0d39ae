import { containerCallback } from '@atrium/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RemoteContainer } from './entry-script.js';

/** Just enough of a page: scripts are event targets, appending one records it, nothing runs by itself. */
const appended: FakeScript[] = [];
class FakeScript extends EventTarget {
  src = '';
  integrity = '';
  crossOrigin = '';
  remove() {}
  /** The browser running the script: it calls the global while it is `document.currentScript`. */
  run(handOver: (call: (container: RemoteContainer) => void) => void) {
    page.currentScript = this;
    handOver((container) =>
      (globalThis as unknown as Record<string, (c: RemoteContainer) => void>)[containerCallback]!(container),
    );
    page.currentScript = null;
    this.dispatchEvent(new Event('load'));
  }
}
const page = {
  currentScript: null as FakeScript | null,
  createElement: () => new FakeScript(),
  head: { append: (script: FakeScript) => appended.push(script) },
};
const container = (build: string) =>
  ({ build, init: () => undefined, get: () => undefined }) as unknown as RemoteContainer;

let entry: typeof import('./entry-script.js');
beforeAll(async () => {
  Object.assign(globalThis, { document: page, location: { href: 'https://atrium.test/chat' } });
  entry = await import('./entry-script.js');
  entry.listenForContainers();
});

describe('remote entry scripts', () => {
  it('hands each load the container of its own script, whichever finishes first', async () => {
    const first = entry.loadEntryScript(
      'https://atrium.test/remotes/chat-core/1.0.0-dev.aaaa/remoteEntry.js',
      'sha384-a',
    );
    const second = entry.loadEntryScript(
      'https://atrium.test/remotes/chat-core/1.0.0-dev.bbbb/remoteEntry.js',
      'sha384-b',
    );
    const [a, b] = appended.slice(-2) as [FakeScript, FakeScript];
    expect([a.integrity, a.crossOrigin]).toEqual(['sha384-a', 'anonymous']);
    b.run((call) => call(container('b')));
    a.run((call) => call(container('a')));
    expect(await second).toMatchObject({ build: 'b' });
    expect(await first).toMatchObject({ build: 'a' });
  });

  it('drops a container no load is waiting for, and fails a script that hands none over', async () => {
    const stray = new FakeScript();
    stray.run((call) => call(container('stray')));
    const load = entry.loadEntryScript('https://atrium.test/remotes/chat-core/1.1.0/remoteEntry.js', 'sha384-c');
    appended.at(-1)!.run(() => undefined);
    await expect(load).rejects.toThrow(/ScriptExecutionError/);
  });

  it('fails a script the browser would not load', async () => {
    const load = entry.loadEntryScript('https://atrium.test/remotes/chat-core/1.2.0/remoteEntry.js', 'sha384-d');
    appended.at(-1)!.dispatchEvent(new Event('error'));
    await expect(load).rejects.toThrow(/ScriptNetworkError/);
  });
});
