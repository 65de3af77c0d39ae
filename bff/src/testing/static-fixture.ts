import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bootPlaceholder } from '@atrium/contracts';

export interface StaticFixture {
  dir: string;
  remove(): void;
}

/** A throwaway repo root with a built shell and one built remote, as `pnpm build` would leave it. */
export function createStaticFixture(options: { withShell?: boolean } = {}): StaticFixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'atrium-static-'));
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  };
  if (options.withShell !== false) {
    write(
      'shell/dist/index.html',
      `<!doctype html><html><head>${bootPlaceholder}<script src="/shell/main.1a2b3c.js"></script></head><body></body></html>`,
    );
    write('shell/dist/main.1a2b3c.js', 'console.log("shell");');
  }
  write('remotes/chat-core/package.json', JSON.stringify({ name: '@atrium/chat-core', version: '1.2.3' }));
  write('remotes/chat-core/dist/remoteEntry.js', 'var chat_core = {};');
  write('remotes/chat-core/dist/mf-manifest.json', '{}');
  write('remotes/chat-core/dist/static/js/chunk.9f8e7d.js', 'export {};');
  write('remotes/admin/package.json', JSON.stringify({ version: '2.0.0', atrium: { contract: 'admin@2' } }));
  write('remotes/admin/dist/remoteEntry.js', 'var admin = {};');
  write('secret.txt', 'not for the web');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
