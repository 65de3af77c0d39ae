import type { BootPayload, MeResponse, RemoteMap } from '@atrium/contracts';
import { createStore } from 'zustand/vanilla';

/**
 * A client-side cache of what the BFF said about this tab: who is signed in, the CSRF token
 * and the remote map. The BFF stays the source of truth; this is refreshed from it.
 */
export interface ShellState {
  me: MeResponse | null;
  csrfToken: string;
  remotes: RemoteMap;
}

export function createShellStore(initial: ShellState) {
  return createStore<ShellState>()(() => initial);
}

export type ShellStore = ReturnType<typeof createShellStore>;

/** The store as the page's boot payload starts it; without an inlined map no remote is known yet. */
export function createShellStoreFromBoot(boot: BootPayload) {
  return createShellStore({
    me: boot.me,
    csrfToken: boot.csrfToken,
    remotes: boot.remotes ?? { generatedAt: new Date(0).toISOString(), remotes: {} },
  });
}
