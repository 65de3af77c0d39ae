import type { MountProps, RemoteModule, RemoteName, ResolvedRemote } from '@atrium/contracts';
import { ErrorNotice, registerTranslations, Spinner } from '@atrium/shared';
import { Component, type ErrorInfo, type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShellState } from '../app/shell-context.js';
import { useMountProps } from './mount-props.js';
import { type LoadedRemote, loadResolvedRemote, reportMountError } from './remote-loader.js';

type LoadState =
  | { status: 'loading' }
  | { status: 'ready'; loaded: LoadedRemote }
  | { status: 'failed'; message: string };

interface BoundaryProps {
  onError(error: unknown): void;
  children: ReactNode;
}

/** Catches a remote that throws while rendering, so only its area of the page is lost. */
class RemoteBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo) {
    this.props.onError(error);
  }

  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

function useRemoteLoad(resolved: ResolvedRemote | undefined) {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [skipPrimary, setSkipPrimary] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    if (!resolved) {
      setState({ status: 'failed', message: 'not published' });
      return;
    }
    let cancelled = false;
    setState({ status: 'loading' });
    loadResolvedRemote(resolved, skipPrimary).then(
      (loaded) => {
        if (cancelled) return;
        registerTranslations(loaded.module);
        setState({ status: 'ready', loaded });
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [resolved, attempt, skipPrimary]);

  const retry = useCallback(() => {
    setSkipPrimary(false);
    setAttempt((n) => n + 1);
  }, []);
  return {
    state,
    retry,
    switchToFallback: () => setSkipPrimary(true),
    failWith: (message: string) => setState({ status: 'failed', message }),
  };
}

/**
 * Mounts a remote at a route. The remote map is read when the outlet mounts, so a release
 * change takes effect at the next navigation into the remote, never under the user's feet.
 */
export function RemoteOutlet(props: { name: RemoteName; basePath: string }) {
  // Keyed by remote: moving between two remotes' routes must not reuse one outlet's state.
  return <RemoteArea key={props.name} {...props} />;
}

function RemoteArea({ name, basePath }: { name: RemoteName; basePath: string }) {
  const { t } = useTranslation('shell');
  const initialMap = useShellState((s) => s.remotes);
  const [resolved] = useState(() => initialMap.remotes[name]);
  const { state, retry, switchToFallback, failWith } = useRemoteLoad(resolved);

  const onRenderError = useCallback(
    (error: unknown) => {
      if (state.status !== 'ready') return;
      reportMountError(name, state.loaded.build, state.loaded.usedFallback, error);
      if (!state.loaded.usedFallback && resolved?.fallback) switchToFallback();
      else failWith(error instanceof Error ? error.message : String(error));
    },
    [name, state, resolved, switchToFallback, failWith],
  );

  const props = useMountProps(basePath);

  if (state.status === 'loading') return <Spinner label={t('remote.loading', { name })} />;
  if (state.status === 'failed') {
    return (
      <ErrorNotice title={t('remote.failedTitle', { name })} onRetry={retry} retryLabel={t('remote.retry')}>
        <p>{t('remote.failedBody')}</p>
      </ErrorNotice>
    );
  }
  const { module, build, usedFallback } = state.loaded;
  return (
    <section data-remote={name} data-remote-version={build.version} className="remote-area">
      {usedFallback ? <p className="remote-fallback-notice">{t('remote.fallbackNotice', { name })}</p> : null}
      <RemoteBoundary key={`${build.entry}`} onError={onRenderError}>
        <MountedRemote module={module} props={props} />
      </RemoteBoundary>
    </section>
  );
}

function MountedRemote({ module, props }: { module: RemoteModule; props: MountProps }) {
  const Root = module.Root;
  return <Root {...props} />;
}
