import type { MeResponse, RemoteMap } from '@atrium/contracts';
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
