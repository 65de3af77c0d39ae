import type { ApiClient, DocumentView } from '@atrium/contracts';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { uploadDocument } from '../api.js';
import { createUploader, type Uploader } from '../uploader.js';

/**
 * One uploader per API client (so per tab): uploads keep going while the user is on another
 * page of the app, and the list shows them again on return. Keyed by the client the shell
 * hands over, so a test's own client gets its own uploader.
 */
const uploaders = new WeakMap<ApiClient, Uploader>();

function uploaderFor(api: ApiClient): Uploader {
  let uploader = uploaders.get(api);
  if (!uploader) {
    uploader = createUploader({ send: (request) => uploadDocument(api, request) });
    uploaders.set(api, uploader);
  }
  return uploader;
}

/** The tab's uploads; `onCreated` hears of each document an upload created. */
export function useUploads(api: ApiClient, onCreated: (document: DocumentView) => void) {
  const uploader = uploaderFor(api);
  const items = useStore(uploader.store, (state) => state.items);
  useEffect(() => uploader.onCreated(onCreated), [uploader, onCreated]);

  const sending = items.some((item) => item.phase === 'sending');
  useEffect(() => {
    if (!sending) return;
    // Closing the tab would abort the uploads: the browser asks the user first.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [sending]);

  return { items, uploader };
}
