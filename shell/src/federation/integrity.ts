import type { ModuleFederationRuntimePlugin } from '@module-federation/enhanced/runtime';
import { listenForContainers, loadEntryScript } from './entry-script.js';

/**
 * Entry pinning: a remote entry executes only as a `<script integrity>` whose hash came from
 * the resolved remote map. Unpinned URLs are refused (fail closed). Chunks are covered by the
 * remote's own SRI runtime, whose hashes live inside the (pinned) entry.
 */
const pins = new Map<string, string>();

export function pinEntry(url: string, integrity: string): void {
  pins.set(new URL(url, location.href).href, integrity);
}

export class IntegrityRefusal extends Error {
  constructor(readonly url: string) {
    super(`refusing to load ${url}: no pinned integrity`);
    this.name = 'IntegrityRefusal';
  }
}

function pinnedIntegrity(url: string): string | undefined {
  return pins.get(new URL(url, location.href).href);
}

/**
 * Loads every remote entry itself (pinned `<script>`, container handed to the shell, see
 * entry-script.ts). `createScript` refuses any other script the runtime might want to add.
 */
export function integrityPlugin(): ModuleFederationRuntimePlugin {
  listenForContainers();
  return {
    name: 'atrium-entry-integrity',
    loadEntry({ remoteInfo }) {
      const integrity = pinnedIntegrity(remoteInfo.entry);
      if (!integrity) throw new IntegrityRefusal(remoteInfo.entry);
      return loadEntryScript(new URL(remoteInfo.entry, location.href).href, integrity);
    },
    createScript({ url }) {
      const integrity = pinnedIntegrity(url);
      if (!integrity) throw new IntegrityRefusal(url);
      const script = document.createElement('script');
      script.src = url;
      script.integrity = integrity;
      script.crossOrigin = 'anonymous';
      return { script, timeout: 20_000 };
    },
  };
}

function toBase64(buffer: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The browser reports a blocked script exactly like a network failure. After a failed load we
 * re-fetch the entry and hash it ourselves to tell `integrity_mismatch` from an outage.
 */
export async function isIntegrityMismatch(url: string, integrity: string): Promise<boolean> {
  try {
    const response = await fetch(url, { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) return false;
    const digest = await crypto.subtle.digest('SHA-384', await response.arrayBuffer());
    return `sha384-${toBase64(digest)}` !== integrity;
  } catch {
    return false;
  }
}
