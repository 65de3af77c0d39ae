import { type BootPayload, type Permission, type RemoteName, roleHas } from '@atrium/contracts';

interface RemoteRoute {
  prefix: string;
  remote: RemoteName;
  /** What the route's guard asks for: nothing, a session, or a session with this permission. */
  guard: 'none' | 'signed-in' | Permission;
}

/**
 * Which remote the shell renders under each path, behind which guard: the same table as
 * shell/src/app/router.tsx (remote-preload.test.ts fails when they part).
 */
export const remoteRoutes: readonly RemoteRoute[] = [
  { prefix: '/login', remote: 'auth-ui', guard: 'none' },
  { prefix: '/account', remote: 'auth-ui', guard: 'signed-in' },
  { prefix: '/chat', remote: 'chat-core', guard: 'chat:use' },
  { prefix: '/uploads', remote: 'upload-ui', guard: 'uploads:use' },
  { prefix: '/admin', remote: 'admin', guard: 'admin:view' },
];

/** Whether the shell's guard (shell/src/app/guards.tsx) lets this user reach the route's remote. */
function passes(guard: RemoteRoute['guard'], me: BootPayload['me']): boolean {
  if (guard === 'none') return true;
  if (!me || me.mustChangePassword) return false;
  return guard === 'signed-in' || roleHas(me.user.role, guard);
}

function routeOf(path: string) {
  return remoteRoutes.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * A `<link rel="preload">` for the entry of the remote the shell is about to load for `path`, so
 * the browser fetches `remoteEntry.js` while the shell's own scripts download and run instead of
 * after them (bench/cold-load.ts). It names the build the inlined map gives this user (stable or
 * canary) and carries the same `integrity` and `crossorigin="anonymous"` as the script the
 * federation runtime inserts (shell/src/federation/integrity.ts), so the browser reuses the
 * preloaded response instead of fetching the entry twice.
 *
 * Empty when the shell would render no remote there for this user: no map inlined, a guard that
 * redirects (signed out, a password change pending) or refuses (a permission missing), or no
 * build of that remote in the map.
 */
export function remotePreloadTags(path: string, payload: BootPayload): string {
  const route = routeOf(path);
  if (!route || !payload.remotes || !passes(route.guard, payload.me)) return '';
  const build = payload.remotes.remotes[route.remote];
  if (!build) return '';
  // entry and integrity come from the registry (contracts' schemas); quotes are escaped regardless.
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<link rel="preload" as="script" href="${attribute(build.entry)}" integrity="${attribute(build.integrity)}" crossorigin="anonymous">`;
}
