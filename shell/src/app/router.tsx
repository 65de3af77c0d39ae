import { createBrowserRouter } from 'react-router';
import { RemoteOutlet } from '../federation/remote-outlet.js';
import { Home, NotFound, RequirePermission } from './guards.js';
import { Layout } from './layout.js';

/** Each remote is fetched only when its route is first rendered (RemoteOutlet loads it). */
export function createRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      children: [
        { index: true, element: <Home /> },
        { path: 'login', element: <RemoteOutlet name="auth-ui" basePath="/login" /> },
        {
          path: 'account',
          element: (
            <RequirePermission>
              <RemoteOutlet name="auth-ui" basePath="/account" />
            </RequirePermission>
          ),
        },
        {
          path: 'chat/*',
          element: (
            <RequirePermission permission="chat:use">
              <RemoteOutlet name="chat-core" basePath="/chat" />
            </RequirePermission>
          ),
        },
        {
          path: 'uploads/*',
          element: (
            <RequirePermission permission="uploads:use">
              <RemoteOutlet name="upload-ui" basePath="/uploads" />
            </RequirePermission>
          ),
        },
        {
          path: 'admin/*',
          element: (
            <RequirePermission permission="admin:view">
              <RemoteOutlet name="admin" basePath="/admin" />
            </RequirePermission>
          ),
        },
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
