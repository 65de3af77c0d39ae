import type { Locale, MountProps } from '@atrium/contracts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useShell, useShellState } from '../app/shell-context.js';
import { refreshSession } from '../session/session.js';

const noFlags = {};

/** What the shell hands a remote mounted at `basePath` (the mount contract's MountProps). */
export function useMountProps(basePath: string): MountProps {
  const { i18n } = useTranslation('shell');
  const services = useShell();
  const me = useShellState((s) => s.me);
  const navigate = useNavigate();
  return useMemo(
    () => ({
      basePath,
      api: services.api,
      bus: services.bus,
      events: services.events,
      session: me,
      flags: me?.flags ?? noFlags,
      locale: i18n.language as Locale,
      navigate: (to: string) => navigate(to),
      refreshSession: () => refreshSession(services.api, services.store),
    }),
    [basePath, services, me, i18n.language, navigate],
  );
}
