import type { Locale } from '@atrium/contracts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, useNavigate } from 'react-router';
import chatCore from '../../../remotes/chat-core/src/mount.js';
import { Home, NotFound, RequirePermission } from '../../../shell/src/app/guards.js';
import { Layout } from '../../../shell/src/app/layout.js';
import { useShell, useShellState } from '../../../shell/src/app/shell-context.js';
import { refreshSession } from '../../../shell/src/session/session.js';

/** chat-core's Root with the props RemoteOutlet would give it, inside the same section. */
function StaticChat() {
  const { i18n } = useTranslation('shell');
  const services = useShell();
  const me = useShellState((s) => s.me);
  const navigate = useNavigate();
  const props = useMemo(
    () => ({
      basePath: '/chat',
      api: services.api,
      bus: services.bus,
      events: services.events,
      session: me,
      locale: i18n.language as Locale,
      navigate: (to: string) => navigate(to),
      refreshSession: () => refreshSession(services.api, services.store),
    }),
    [services, me, i18n.language, navigate],
  );
  const Root = chatCore.Root;
  return (
    <section data-remote="chat-core" className="remote-area">
      <Root {...props} />
    </section>
  );
}

/** The shell's layout and guards; only `/chat` exists (the benchmark's page). */
export function createMonolithRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      children: [
        { index: true, element: <Home /> },
        {
          path: 'chat/*',
          element: (
            <RequirePermission permission="chat:use">
              <StaticChat />
            </RequirePermission>
          ),
        },
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
