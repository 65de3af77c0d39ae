import type { DocumentAudience, DocumentView } from '@atrium/contracts';
import { createStore, type StoreApi } from 'zustand';
import type { UploadOutcome, UploadRequest } from './api.js';
import { initialUploads, startable, type UploadAction, type UploadsState, uploadsReducer } from './upload-state.js';

export interface Uploader {
  /** The uploads' client state (zustand): what the upload list renders. */
  store: StoreApi<UploadsState>;
  /** Queues `files` (each a `File`, or a `Blob` with a name) for `audience`; sizes over `limitBytes` are refused here. */
  add(files: readonly File[], audience: DocumentAudience, limitBytes: number): void;
  /** Stops a waiting upload, or aborts one being sent. */
  cancel(key: string): void;
  /** Sends a failed or cancelled file again. */
  retry(key: string): void;
  /** Forgets an upload that is not being sent. */
  dismiss(key: string): void;
  /** Calls `listener` with every document an upload created; returns the unsubscribe function. */
  onCreated(listener: (document: DocumentView) => void): () => void;
  /** Aborts everything in flight. */
  dispose(): void;
}

export interface UploaderOptions {
  send(request: UploadRequest): Promise<UploadOutcome>;
  /** Files sent at once. Two keep a slot free for the event stream and page requests (HTTP/1.1: 6 per host). */
  concurrency?: number;
}

/** Runs the upload state machine (`upload-state.ts`) against a transport, a few files at a time. */
export function createUploader({ send, concurrency = 2 }: UploaderOptions): Uploader {
  const store = createStore<UploadsState>(() => initialUploads);
  const files = new Map<string, File>();
  const inFlight = new Map<string, AbortController>();
  const createdListeners = new Set<(document: DocumentView) => void>();
  let nextKey = 0;

  const dispatch = (action: UploadAction) => store.setState((state) => uploadsReducer(state, action), true);
  const phaseOf = (key: string) => store.getState().items.find((item) => item.key === key)?.phase;

  function settle(key: string, outcome: UploadOutcome): void {
    switch (outcome.kind) {
      case 'created':
        dispatch({ type: 'created', key });
        files.delete(key);
        for (const listener of createdListeners) listener(outcome.document);
        return;
      case 'duplicate':
        dispatch({ type: 'duplicate', key, document: outcome.document });
        files.delete(key);
        return;
      case 'too_large':
        dispatch({ type: 'tooLarge', key });
        files.delete(key);
    }
  }

  function start(key: string): void {
    const file = files.get(key);
    if (!file) return;
    const controller = new AbortController();
    inFlight.set(key, controller);
    const audience = store.getState().items.find((item) => item.key === key)?.audience ?? 'private';
    dispatch({ type: 'started', key });
    send({
      file,
      name: file.name,
      audience,
      signal: controller.signal,
      onProgress: (sentBytes) => dispatch({ type: 'progressed', key, sentBytes }),
    })
      .then(
        (outcome) => settle(key, outcome),
        (error: unknown) => {
          if (!controller.signal.aborted) dispatch({ type: 'failed', key, error });
        },
      )
      .finally(() => {
        // A retry may already have started this key again with its own controller.
        if (inFlight.get(key) === controller) inFlight.delete(key);
        pump();
      });
  }

  function pump(): void {
    for (const key of startable(store.getState(), concurrency)) start(key);
  }

  return {
    store,
    add(picked, audience, limitBytes) {
      const added = picked.map((file) => {
        const key = `upload-${++nextKey}`;
        files.set(key, file);
        return { key, name: file.name, sizeBytes: file.size };
      });
      dispatch({ type: 'added', files: added, audience, limitBytes });
      for (const { key } of added) if (phaseOf(key) === 'rejected') files.delete(key);
      pump();
    },
    cancel(key) {
      dispatch({ type: 'cancelled', key });
      inFlight.get(key)?.abort();
    },
    retry(key) {
      dispatch({ type: 'retried', key });
      pump();
    },
    dismiss(key) {
      dispatch({ type: 'dismissed', key });
      if (!phaseOf(key)) files.delete(key);
    },
    onCreated(listener) {
      createdListeners.add(listener);
      return () => createdListeners.delete(listener);
    },
    dispose() {
      for (const controller of inFlight.values()) controller.abort();
    },
  };
}
