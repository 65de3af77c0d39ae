import type { ApiClient, EventBus, ServerEventStream } from '@atrium/contracts';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ShellState, ShellStore } from '../session/store.js';

export interface ShellServices {
  api: ApiClient;
  bus: EventBus;
  events: ServerEventStream;
  store: ShellStore;
}

export const ShellContext = createContext<ShellServices | null>(null);

export function useShell(): ShellServices {
  const services = useContext(ShellContext);
  if (!services) throw new Error('useShell outside <ShellContext>');
  return services;
}

export function useShellState<T>(select: (state: ShellState) => T): T {
  return useStore(useShell().store, select);
}
