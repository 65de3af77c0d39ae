import { type ApiClient, type Feature, features, type Plan, plans } from '@atrium/contracts';
import { Button, ErrorNotice, ModalDialog } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { changeEntitlements } from '../api.js';
import { planReasonMaxChars } from '../hooks/plan-view.js';
import type { PlanRow } from '../hooks/use-plans.js';

type OverrideChoice = 'keep' | 'grant' | 'revoke' | 'inherit';

interface ChangePlanDialogProps {
  api: ApiClient;
  row: PlanRow | null;
  onCancel(): void;
  onSaved(email: string): void;
}

/** Changes one user's plan and/or one feature's override, with the reason the audit log keeps. */
export function ChangePlanDialog({ api, row, onCancel, onSaved }: ChangePlanDialogProps) {
  const { t } = useTranslation('admin');
  return (
    <ModalDialog
      className="admin-dialog"
      testId="change-plan-dialog"
      open={row !== null}
      title={t('plans.changeTitle', { email: row?.user.email ?? '' })}
      onCancel={onCancel}
    >
      {row ? <ChangePlanForm key={row.user.id} api={api} row={row} onCancel={onCancel} onSaved={onSaved} /> : null}
    </ModalDialog>
  );
}

function ChangePlanForm({ api, row, onCancel, onSaved }: ChangePlanDialogProps & { row: PlanRow }) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const [plan, setPlan] = useState<Plan>(row.entitlements.plan);
  const [feature, setFeature] = useState<Feature>(features[0]);
  const [override, setOverride] = useState<OverrideChoice>('keep');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const planChanged = plan !== row.entitlements.plan;
  const reasonId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setReasonError(t('action.reasonInvalid'));
      return;
    }
    setReasonError(null);
    setPending(true);
    setFailure(null);
    try {
      await changeEntitlements(api, row.user.id, {
        ...(planChanged ? { plan } : {}),
        ...(override !== 'keep' ? { feature: { feature, effect: override } } : {}),
        reason: reason.trim(),
      });
      onSaved(row.user.email);
    } catch (error) {
      setFailure(error);
    } finally {
      setPending(false);
    }
  }

  const nothingToChange = !planChanged && override === 'keep';
  return (
    <form onSubmit={(event) => void submit(event)} noValidate style={{ display: 'grid', gap: 12 }}>
      <label>
        {t('plans.plan')}
        <select value={plan} onChange={(event) => setPlan(event.target.value as Plan)}>
          {plans.map((p) => (
            <option key={p} value={p}>
              {t(`plans.planName_${p}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('plans.override')}</legend>
        <label>
          {t('plans.feature')}
          <select value={feature} onChange={(event) => setFeature(event.target.value as Feature)}>
            {features.map((f) => (
              <option key={f} value={f}>
                {t(`plans.featureName_${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('plans.effect')}
          <select value={override} onChange={(event) => setOverride(event.target.value as OverrideChoice)}>
            {(['keep', 'grant', 'revoke', 'inherit'] as const).map((choice) => (
              <option key={choice} value={choice}>
                {t(`plans.effectName_${choice}`)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={reasonId}>
          {t('action.reason')}
          <textarea
            id={reasonId}
            data-testid="plan-reason"
            rows={3}
            required
            minLength={3}
            maxLength={planReasonMaxChars}
            value={reason}
            onChange={(event) => setReason(event.target.value.slice(0, planReasonMaxChars))}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${reasonId}-hint ${reasonId}-error` : `${reasonId}-hint`}
            style={{ width: '100%' }}
          />
        </label>
        <small id={`${reasonId}-hint`} className="field-hint" data-testid="plan-reason-count">
          {t('plans.reasonCount', { count: reason.length, max: planReasonMaxChars })}
        </small>
        {reasonError ? (
          <small id={`${reasonId}-error`} className="field-error" role="alert">
            {reasonError}
          </small>
        ) : null}
      </div>
      {failure ? <ErrorNotice title={t('plans.saveFailed')}>{errorMessage(failure)}</ErrorNotice> : null}
      <div className="admin-actions">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          {t('action.cancel')}
        </Button>
        <Button type="submit" disabled={pending || nothingToChange}>
          {t('plans.save')}
        </Button>
      </div>
    </form>
  );
}
