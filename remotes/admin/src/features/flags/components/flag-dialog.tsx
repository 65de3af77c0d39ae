import {
  type FeatureFlag,
  type FlagTargeting,
  type Role,
  roles,
  type ToggleFeatureFlagRequest,
  toggleFeatureFlagRequestSchema,
} from '@atrium/contracts';
import { Button, ErrorNotice, ModalDialog, TextField } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emailsForIds, idsForEmails, type KnownUser } from '../targeting.js';

export type FlagChange = { flag: FeatureFlag; mode: 'toggle' | 'target' };

interface FlagDialogProps {
  change: FlagChange | null;
  users: KnownUser[];
  pending: boolean;
  /** The BFF's refusal, in the reader's language. */
  failure: string | null;
  onConfirm(key: string, body: ToggleFeatureFlagRequest): void;
  onCancel(): void;
}

/**
 * Every flag change asks why. `toggle` flips the flag and keeps its targeting; `target` edits who
 * gets it (roles, users by email, a percentage of everyone else) and keeps it on or off as it is.
 */
export function FlagDialog({ change, ...props }: FlagDialogProps) {
  const { t } = useTranslation('admin');
  const title = !change
    ? ''
    : change.mode === 'target'
      ? t('flags.targetTitle', { flag: change.flag.key })
      : t(change.flag.enabled ? 'flags.turnOffTitle' : 'flags.turnOnTitle', { flag: change.flag.key });
  return (
    <ModalDialog
      className="admin-dialog"
      open={change !== null}
      title={title}
      onCancel={props.onCancel}
      testId="flag-dialog"
    >
      {change ? <FlagForm key={`${change.flag.key}:${change.mode}`} change={change} {...props} /> : null}
    </ModalDialog>
  );
}

function FlagForm({ change, users, pending, failure, onConfirm, onCancel }: FlagDialogProps & { change: FlagChange }) {
  const { t } = useTranslation('admin');
  const { flag, mode } = change;
  const ids = { emails: useId(), percent: useId() };
  const [reason, setReason] = useState('');
  const [chosenRoles, setChosenRoles] = useState<Role[]>(flag.targeting.roles);
  const [emails, setEmails] = useState(() => emailsForIds(flag.targeting.userIds, users));
  const [percentage, setPercentage] = useState(String(flag.targeting.percentage));
  const [errors, setErrors] = useState<{ reason?: string; emails?: string; percentage?: string }>({});

  const toggleRole = (role: Role) =>
    setChosenRoles((current) => (current.includes(role) ? current.filter((r) => r !== role) : [...current, role]));

  function submit(event: FormEvent) {
    event.preventDefault();
    const next: typeof errors = {};
    let targeting: FlagTargeting | undefined;
    if (mode === 'target') {
      const { ids: userIds, unknown } = idsForEmails(emails, users);
      if (unknown.length > 0) next.emails = t('flags.unknownEmails', { emails: unknown.join(', ') });
      const percent = Number(percentage);
      if (percentage.trim() === '' || !Number.isInteger(percent) || percent < 0 || percent > 100) {
        next.percentage = t('flags.percentInvalid');
      }
      targeting = { roles: chosenRoles, userIds, percentage: percent };
    }
    const body = {
      enabled: mode === 'toggle' ? !flag.enabled : flag.enabled,
      reason,
      ...(targeting ? { targeting } : {}),
    };
    const parsed = toggleFeatureFlagRequestSchema.safeParse(body);
    if (!parsed.success && parsed.error.issues.some((issue) => issue.path[0] === 'reason')) {
      next.reason = t('action.reasonInvalid');
    }
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    onConfirm(flag.key, parsed.data);
  }

  const summary =
    mode === 'toggle'
      ? t('flags.toggleSummary', {
          flag: flag.key,
          from: flag.enabled ? t('flags.on') : t('flags.off'),
          to: flag.enabled ? t('flags.off') : t('flags.on'),
        })
      : t('flags.targetSummary', { flag: flag.key });

  return (
    <form className="form admin-dialog-form" noValidate onSubmit={submit} aria-busy={pending}>
      <p className="admin-dialog-summary" data-testid="flag-summary">
        <strong>{summary}</strong>
      </p>
      {mode === 'target' ? (
        <>
          <fieldset>
            <legend>{t('flags.roles')}</legend>
            {roles.map((role) => (
              <label key={role} style={{ display: 'inline-flex', gap: 4, marginInlineEnd: 12 }}>
                <input type="checkbox" checked={chosenRoles.includes(role)} onChange={() => toggleRole(role)} />
                {t(`roles.${role}`)}
              </label>
            ))}
          </fieldset>
          <div className="admin-dialog-field">
            <label htmlFor={ids.emails}>{t('flags.users')}</label>
            <textarea
              id={ids.emails}
              rows={3}
              value={emails}
              onChange={(event) => setEmails(event.target.value)}
              aria-invalid={errors.emails ? true : undefined}
              aria-describedby={`${ids.emails}-hint${errors.emails ? ` ${ids.emails}-error` : ''}`}
            />
            <small id={`${ids.emails}-hint`} className="field-hint">
              {t('flags.usersHint')}
            </small>
            {errors.emails ? (
              <small id={`${ids.emails}-error`} className="field-error" role="alert">
                {errors.emails}
              </small>
            ) : null}
          </div>
          <TextField
            label={t('flags.percentage')}
            hint={t('flags.percentageHint')}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={percentage}
            onChange={(event) => setPercentage(event.target.value)}
            error={errors.percentage ?? null}
          />
        </>
      ) : null}
      <TextField
        label={t('action.reason')}
        hint={t('flags.reasonHint')}
        required
        minLength={3}
        maxLength={500}
        autoFocus={mode === 'toggle'}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={errors.reason ?? null}
      />
      {failure ? <ErrorNotice title={t('flags.failed')}>{failure}</ErrorNotice> : null}
      <div className="admin-actions">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          {t('action.cancel')}
        </Button>
        <Button type="submit" variant={mode === 'toggle' && flag.enabled ? 'danger' : 'primary'} disabled={pending}>
          {pending
            ? t('action.working')
            : t(mode === 'toggle' ? (flag.enabled ? 'flags.turnOff' : 'flags.turnOn') : 'flags.save')}
        </Button>
      </div>
    </form>
  );
}
