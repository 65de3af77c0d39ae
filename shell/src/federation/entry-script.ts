import { containerCallback } from '@atrium/contracts/values';
import type { ModuleFederationRuntimePlugin } from '@module-federation/enhanced/runtime';

type LoadEntryArgs = Parameters<NonNullable<ModuleFederationRuntimePlugin['loadEntry']>>[0];
/** What a remote entry hands over: its container (`init`, `get`). */
export type RemoteContainer = NonNullable<LoadEntryArgs['remoteEntryExports']>;

/** Entry scripts still running, each with the hand its container goes to. */
const waiting = new Map<object, (container: RemoteContainer) => void>();

/**
 * Defines the global every remote entry calls with its container (`containerCallback`, built as
 * rspack `library: { type: 'jsonp' }`). A call is matched to the `<script>` making it, so a
 * container only ever reaches the load that inserted that script: a late or stray script's
 * container is dropped, never picked up by another build's load.
 */
export function listenForContainers(): void {
  Object.assign(globalThis, {
    [containerCallback]: (container: RemoteContainer) => {
      const script = document.currentScript;
      if (script) waiting.get(script)?.(container);
    },
  });
}

/**
 * Runs a remote entry as `<script integrity crossorigin>` and resolves with the container that
 * script handed over. Rejects with `ScriptNetworkError` when the script fails to load (network,
 * or a hash mismatch the browser blocked) and `ScriptExecutionError` when it ran without
 * handing over a container.
 */
export function loadEntryScript(url: string, integrity: string): Promise<RemoteContainer> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.integrity = integrity;
    script.crossOrigin = 'anonymous';
    let container: RemoteContainer | null = null;
    waiting.set(script, (handed) => {
      container = handed;
    });
    const settle = () => {
      waiting.delete(script);
      script.remove();
    };
    script.addEventListener('load', () => {
      settle();
      if (container) resolve(container);
      else reject(new Error(`ScriptExecutionError: ${url} ran but handed over no container`));
    });
    script.addEventListener('error', () => {
      settle();
      reject(new Error(`ScriptNetworkError: ${url} did not load`));
    });
    document.head.append(script);
  });
}
