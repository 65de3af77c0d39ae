import type { SessionView } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { describeDevice, shortAgent } from '../device.js';

interface SessionRowProps {
  session: SessionView;
  formatDate(iso: string): string;
  revoking: boolean;
  onRevoke(): void;
}

export function SessionRow({ session, formatDate, revoking, onRevoke }: SessionRowProps) {
  const { t } = useTranslation('auth');
  const device = describeDevice(session.userAgent);
  const deviceName = device
    ? t('sessions.deviceName', { ...device })
    : session.userAgent
      ? shortAgent(session.userAgent)
      : t('sessions.unknownDevice');
  return (
    <tr data-testid="session-row" data-current={session.current || undefined}>
      <td title={session.userAgent ?? undefined}>
        {deviceName}
        {session.current ? <strong> ({t('sessions.thisDevice')})</strong> : null}
      </td>
      <td>{session.ip ?? t('sessions.unknown')}</td>
      <td>{formatDate(session.createdAt)}</td>
      <td>{formatDate(session.lastSeenAt)}</td>
      <td>
        {session.current ? null : (
          <Button
            variant="danger"
            disabled={revoking}
            aria-label={t('sessions.revokeLabel', { device: deviceName })}
            onClick={onRevoke}
          >
            {revoking ? t('sessions.revoking') : t('sessions.revoke')}
          </Button>
        )}
      </td>
    </tr>
  );
}
