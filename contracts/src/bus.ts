import type { Locale } from './values.js';

/** Events remotes and the shell exchange in the browser. Remotes never import each other: they talk here. */
export interface BusEvents {
  'session.changed': { signedIn: boolean };
  'locale.changed': { locale: Locale };
  'toast.show': { kind: 'info' | 'error' | 'success'; message: string };
}

export type BusEventName = keyof BusEvents;

export interface EventBus {
  emit<K extends BusEventName>(type: K, payload: BusEvents[K]): void;
  on<K extends BusEventName>(type: K, handler: (payload: BusEvents[K]) => void): () => void;
}
