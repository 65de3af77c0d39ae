import { createBrowserRouter } from 'react-router';
import chatCore from '../../../remotes/chat-core/src/mount.js';
import { Home, NotFound, RequirePermission } from '../../../shell/src/app/guards.js';
import { Layout } from '../../../shell/src/app/layout.js';
import { useMountProps } from '../../../shell/src/federation/mount-props.js';

/** chat-core's Root with the props RemoteOutlet would give it, inside the same section. */
function StaticChat() {
  const props = useMountProps('/chat');
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
