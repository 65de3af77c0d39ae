import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './chromium.js';

const root = join(import.meta.dirname, '..', '..');

export default function setup() {
  ensureChromium();
  for (const dist of ['shell/dist/index.html', 'remotes/chat-core/dist/remoteEntry.js']) {
    if (!existsSync(join(root, dist)))
      throw new Error(`${dist} is missing: run \`pnpm build\` before the browser tests`);
  }
}
