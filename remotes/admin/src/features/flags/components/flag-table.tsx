import type { FeatureFlag, Locale } from '@atrium/contracts';
import { Button, TableScroll } from '@atrium/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type KnownUser, targetsEveryone } from '../targeting.js';

interface FlagTableProps {
  flags: FeatureFlag[];
  users: KnownUser[];
  locale: Locale;
  onToggle(flag: FeatureFlag): void;
  onTarget(flag: FeatureFlag): void;
}

/** Every flag: on or off, for whom, when and by whom it last changed, and its two actions. */
export function FlagTable({ flags, users, locale, onToggle, onTarget }: FlagTableProps) {
  const { t } = useTranslation('admin');
  const when = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }), [locale]);
  const emailOf = useMemo(() => new Map(users.map((user) => [user.id, user.email])), [users]);

  const audience = (flag: FeatureFlag) => {
    const { roles, userIds, percentage } = flag.targeting;
    if (targetsEveryone(flag.targeting)) return t('flags.everyone');
    const parts: string[] = [];
    if (roles.length > 0)
      parts.push(t('flags.rolesList', { roles: roles.map((role) => t(`roles.${role}`)).join(', ') }));
    if (userIds.length > 0) {
      const named = userIds.slice(0, 3).map((id) => emailOf.get(id) ?? id);
      parts.push(
        userIds.length > 3
          ? t('flags.usersListMore', { users: named.join(', '), count: userIds.length - 3 })
          : t('flags.usersList', { users: named.join(', ') }),
      );
    }
    parts.push(t('flags.percentOfOthers', { percent: percentage }));
    return parts.join(' · ');
  };

  return (
    <TableScroll label={t('flags.title')}>
      <table data-testid="flag-table">
        <caption className="visually-hidden">{t('flags.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('flags.flag')}</th>
            <th scope="col">{t('flags.state')}</th>
            <th scope="col">{t('flags.audience')}</th>
            <th scope="col">{t('flags.updated')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('flags.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {flags.map((flag) => (
            <tr key={flag.key} data-testid={`flag-${flag.key}`}>
              <th scope="row">
                <code>{flag.key}</code>
                <div className="admin-muted">{flag.description}</div>
              </th>
              <td data-testid="flag-state">
                <strong>{flag.enabled ? t('flags.on') : t('flags.off')}</strong>
                {flag.enabled ? (
                  <div className="admin-muted">{flag.onForYou ? t('flags.onForYou') : t('flags.offForYou')}</div>
                ) : null}
              </td>
              <td>{flag.enabled ? audience(flag) : '—'}</td>
              <td>
                {when.format(new Date(flag.updatedAt))}
                {flag.updatedBy ? <div className="admin-muted">{emailOf.get(flag.updatedBy) ?? '—'}</div> : null}
              </td>
              <td>
                <div className="admin-actions">
                  <Button
                    variant={flag.enabled ? 'danger' : 'primary'}
                    onClick={() => onToggle(flag)}
                    aria-label={t(flag.enabled ? 'flags.turnOffNamed' : 'flags.turnOnNamed', { flag: flag.key })}
                  >
                    {flag.enabled ? t('flags.turnOff') : t('flags.turnOn')}
                  </Button>
                  <Button
                    variant="secondary"
                    onClick={() => onTarget(flag)}
                    aria-label={t('flags.targetNamed', { flag: flag.key })}
                  >
                    {t('flags.target')}
                  </Button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
