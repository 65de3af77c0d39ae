import type { LoadReport, RemoteBuild, RemoteModule, RemoteName, ResolvedRemote } from '@atrium/contracts';
import { containerName } from '@atrium/contracts/values';
import { loadRemote, registerRemotes } from '@module-federation/enhanced/runtime';
import { checkContract, RemoteLoadError } from './contract-check.js';
import { IntegrityRefusal, isIntegrityMismatch, pinEntry } from './integrity.js';
import { report } from './telemetry.js';

export const LOAD_TIMEOUT_MS = 15_000;

/** Which entry each remote's container is currently registered with. */
const registered = new Map<RemoteName, string>();
const failed = new Set<RemoteName>();

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new RemoteLoadError('timeout', `no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function failedChunkUrl(error: unknown): string | undefined {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  return text.match(/https?:\/\/[^\s)]+\.js/)?.[0];
}

async function classify(error: unknown, build: RemoteBuild): Promise<RemoteLoadError> {
  if (error instanceof RemoteLoadError) return error;
  if (error instanceof IntegrityRefusal) return new RemoteLoadError('integrity_mismatch', error.message);
  const message = error instanceof Error ? error.message : String(error);
  if (await isIntegrityMismatch(build.entry, build.integrity)) {
    return new RemoteLoadError('integrity_mismatch', `entry does not match ${build.integrity}`);
  }
  // A chunk that failed to load but downloads fine now was blocked by its SRI hash.
  const chunk = failedChunkUrl(error);
  if (chunk && chunk !== new URL(build.entry, location.href).href) {
    const retry = await fetch(chunk, { cache: 'no-store' }).catch(() => null);
    if (retry?.ok) return new RemoteLoadError('integrity_mismatch', `chunk blocked: ${chunk}`);
  }
  return new RemoteLoadError('error', message);
}

/** Loads one build of a remote: pinned entry, timeout, contract check. Reports the outcome. */
export async function loadBuild(name: RemoteName, build: RemoteBuild, fallback: boolean): Promise<RemoteModule> {
  const container = containerName(name);
  const started = performance.now();
  const finish = (outcome: LoadReport['outcome'], detail?: string) =>
    report({
      kind: 'load',
      report: {
        remote: name,
        version: build.version,
        outcome,
        ms: Math.round(performance.now() - started),
        fallback,
        detail,
      },
    });
  try {
    pinEntry(build.entry, build.integrity);
    const previous = registered.get(name);
    if (previous !== build.entry || failed.has(name)) {
      // `force` drops the old build's container, federation instance and cached modules; the new
      // build shares no chunk-loading global or instance id with it (tooling/src/build-id.ts) and
      // hands its container straight to this load (entry-script.ts), so nothing of the old build runs.
      registerRemotes([{ name: container, entry: build.entry }], { force: previous !== undefined });
      registered.set(name, build.entry);
      failed.delete(name);
    }
    const exposed = await withTimeout(loadRemote<{ default?: RemoteModule }>(`${container}/mount`), LOAD_TIMEOUT_MS);
    const module = checkContract(name, exposed?.default ?? null);
    finish('ok');
    return module;
  } catch (error) {
    const failure = await classify(error, build);
    finish(failure.outcome, failure.message.slice(0, 500));
    // A failed container must not be reused: the next attempt registers it afresh.
    failed.add(name);
    throw failure;
  }
}

export interface LoadedRemote {
  module: RemoteModule;
  build: RemoteBuild;
  usedFallback: boolean;
}

/** The primary build, then the last known good one; the caller shows a placeholder if both fail. */
export async function loadResolvedRemote(resolved: ResolvedRemote, skipPrimary = false): Promise<LoadedRemote> {
  if (!skipPrimary) {
    try {
      return { module: await loadBuild(resolved.name, resolved, false), build: resolved, usedFallback: false };
    } catch (error) {
      if (!resolved.fallback) throw error;
    }
  }
  if (!resolved.fallback) throw new RemoteLoadError('error', `${resolved.name} has no fallback version`);
  const module = await loadBuild(resolved.name, resolved.fallback, true);
  return { module, build: resolved.fallback, usedFallback: true };
}

/** Reports a mount that threw while rendering (caught by the remote's error boundary). */
export function reportMountError(name: RemoteName, build: RemoteBuild, fallback: boolean, error: unknown): void {
  report({
    kind: 'load',
    report: {
      remote: name,
      version: build.version,
      outcome: 'mount_error',
      ms: 0,
      fallback,
      detail: (error instanceof Error ? error.message : String(error)).slice(0, 500),
    },
  });
}
