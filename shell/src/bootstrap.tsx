import { createApiClient, createEventBus, signInPath } from '@atrium/shared';
import { registerPlugins } from '@module-federation/enhanced/runtime';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { createRouter } from './app/router.js';
import { ShellContext, type ShellServices } from './app/shell-context.js';
import { readBootPayload } from './boot.js';
import { integrityPlugin } from './federation/integrity.js';
import { sharedMismatchPlugin } from './federation/shared-mismatch.js';
import { report } from './federation/telemetry.js';
import { initI18n } from './i18n/index.js';
import { createEventStream } from './realtime/event-stream.js';
import { followLiveSession } from './session/live-session.js';
import { refreshMe, refreshRemoteMap, refreshSession } from './session/session.js';
import { createShellStoreFromBoot } from './session/store.js';
import './styles.css';

// Registered before any remote is known, so no entry can load unpinned.
registerPlugins([
  integrityPlugin(),
  sharedMismatchPlugin((mismatch) => report({ kind: 'shared_mismatch', report: mismatch })),
]);

async function start() {
  const boot = readBootPayload();
  const store = createShellStoreFromBoot(boot);
  const router = createRouter();
  const bus = createEventBus();
  const api = createApiClient({
    csrfToken: () => store.getState().csrfToken,
    onUnauthorized: () => {
      if (!store.getState().me) return;
      store.setState({ me: null });
      bus.emit('session.changed', { signedIn: false });
      void router.navigate(signInPath(location.pathname + location.search));
    },
  });
  const events = createEventStream();
  const services: ShellServices = { api, bus, events, store };
  // The stream lives exactly as long as the session; the server ends it when the session ends.
  const followSession = () => (store.getState().me ? events.connect() : events.disconnect());
  store.subscribe(followSession);
  followSession();
  events.subscribe((event) => {
    if (event.type === 'session.ended') void refreshSession(api, store).then(() => router.navigate('/login'));
    // A mounted remote keeps its version; the new map applies at the next navigation into it.
    if (event.type === 'release.changed') void refreshRemoteMap(api, store);
  });
  // Plan, paid features and flags: the events say only that something changed; /api/me says what.
  followLiveSession({
    events,
    refresh: () => refreshMe(api, store),
    signedIn: () => store.getState().me !== null,
    visible: () => document.visibilityState === 'visible',
  });
  // Nothing renders (so no RemoteOutlet reads the map) before both are done.
  await Promise.all([initI18n(), boot.remotes ? null : refreshRemoteMap(api, store)]);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ShellContext value={services}>
        <RouterProvider router={router} />
      </ShellContext>
    </StrictMode>,
  );
}

void start();
