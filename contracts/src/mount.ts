import type { ComponentType } from 'react';
import type { MeResponse } from './auth.js';
import type { EventBus } from './bus.js';
import type { ServerEvent } from './events.js';
import type { FlagSnapshot } from './flags.js';
import type { ContractId } from './remotes.js';
import type { Locale, RemoteName } from './values.js';

export interface RequestOptions {
  /** Extra headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

export interface UploadOptions {
  /** Bytes of the body sent so far and the body's size in bytes; called as the upload advances. */
  onProgress?(sentBytes: number, totalBytes: number): void;
  /** Aborting stops the upload; the promise then rejects with a `DOMException` named `AbortError`. */
  signal?: AbortSignal;
  /** Query parameters appended to `path` (e.g. `filename`, `audience`). */
  query?: Record<string, string>;
}

/** The typed HTTP client the shell hands every remote: same-origin, CSRF token attached, errors typed. */
/**
 * How `ApiClient` reads a successful response body: any object with `parse`. A zod schema from
 * this package checks the body and throws its `ZodError` when the body does not match;
 * `trustedResponse<T>()` from `@atrium/contracts/values` takes our own BFF's body as the
 * contract's type `T` without loading zod in the browser (the BFF's tests check its responses
 * against the schemas).
 */
export interface ResponseSchema<T> {
  parse(body: unknown): T;
}

export interface ApiClient {
  get<T>(path: string, schema: ResponseSchema<T>): Promise<T>;
  send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    schema: ResponseSchema<T>,
    options?: RequestOptions,
  ): Promise<T>;
  /**
   * `POST`s `body` as raw bytes (`Content-Type: application/octet-stream`) and reports byte
   * progress, which `fetch` cannot. Same CSRF header and error mapping as `send`.
   * Added for upload-ui@2: a shell that mounts upload-ui@2 provides it.
   */
  upload<T>(path: string, body: Blob, schema: ResponseSchema<T>, options?: UploadOptions): Promise<T>;
}

/** The tab's one connection to `GET /api/events`, owned by the shell and shared by every remote. */
export interface ServerEventStream {
  /** Calls `handler` for every event from now on; returns the unsubscribe function. */
  subscribe(handler: (event: ServerEvent) => void): () => void;
  /** Connection state, for a "reconnecting…" hint. */
  state(): 'connecting' | 'open' | 'closed';
  onStateChange(handler: (state: 'connecting' | 'open' | 'closed') => void): () => void;
}

export type Translations = Record<string, string | Record<string, string>>;

/**
 * What a remote receives from the shell (contract major 1 for every remote; upload-ui@2 also uses `api.upload`).
 * Anything else a remote needs must be added here, under a new major if it breaks old remotes.
 */
export interface MountProps {
  /** The path the shell mounted this remote at, e.g. `/chat`. Routes inside are relative to it. */
  basePath: string;
  api: ApiClient;
  session: MeResponse | null;
  /** Re-reads the session from the BFF (after sign-in, sign-out, password change). */
  refreshSession(): Promise<MeResponse | null>;
  navigate(to: string): void;
  bus: EventBus;
  events: ServerEventStream;
  locale: Locale;
  /**
   * Feature flags evaluated for the signed-in user (`{}` signed out); the shell re-renders
   * remotes with a new object when they change (`flags.updated`). Same as `session.flags`.
   */
  flags: FlagSnapshot;
}

/** The default export of every remote's `./mount`. The shell checks `contract` before rendering. */
export interface RemoteModule<N extends RemoteName = RemoteName> {
  contract: ContractId & `${N}@${number}`;
  /** i18next namespace the remote's strings live in; each remote ships its own. */
  namespace: string;
  translations: Record<Locale, Translations>;
  Root: ComponentType<MountProps>;
}
