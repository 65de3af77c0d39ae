import { createApiClient, createEventBus, registerTranslations } from '@atrium/shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import chatCore from '../../../remotes/chat-core/src/mount.js';
import { ShellContext, type ShellServices } from '../../../shell/src/app/shell-context.js';
import { readBootPayload } from '../../../shell/src/boot.js';
import { initI18n } from '../../../shell/src/i18n/index.js';
import { createEventStream } from '../../../shell/src/realtime/event-stream.js';
import { createShellStoreFromBoot } from '../../../shell/src/session/store.js';
import { createMonolithRouter } from './router.js';
import '../../../shell/src/styles.css';

/** The shell's bootstrap without federation: no runtime plugins, no remote map to wait for. */
async function start() {
  const boot = readBootPayload();
  const store = createShellStoreFromBoot(boot);
  const router = createMonolithRouter();
  const api = createApiClient({
    csrfToken: () => store.getState().csrfToken,
    onUnauthorized: () => store.setState({ me: null }),
  });
  const events = createEventStream();
  const services: ShellServices = { api, bus: createEventBus(), events, store };
  if (store.getState().me) events.connect();
  await initI18n();
  registerTranslations(chatCore);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ShellContext value={services}>
        <RouterProvider router={router} />
      </ShellContext>
    </StrictMode>,
  );
}

void start();
