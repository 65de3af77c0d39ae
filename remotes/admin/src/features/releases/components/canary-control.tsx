import { type Release, reasonSchema } from '@atrium/contracts';
import { Button, TextField } from '@atrium/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WriteFailure } from '../hooks/use-release-write.js';
import { PercentField, validPercent } from './percent-field.js';
import { WriteFailureNotice } from './write-failure-notice.js';

interface CanaryControlProps {
  release: Release;
  pending: boolean;
  failure: WriteFailure | null;
  onApply(change: { version: string; percent: number; reason: string }): Promise<boolean>;
}

/** Widen, narrow or pause (0%) the running canary. */
export function CanaryControl({ release, pending, failure, onApply }: CanaryControlProps) {
  const { t } = useTranslation('admin');
  const [percent, setPercent] = useState(release.canaryPercent);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ percent?: string; reason?: string }>({});
  const canary = release.canary;
  if (!canary) return <p className="admin-muted">{t('canaryControl.noCanary')}</p>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = reasonSchema.safeParse(reason);
    const next = {
      percent: !validPercent(percent, 0)
        ? t('action.percentInvalid', { min: 0 })
        : percent === release.canaryPercent
          ? t('canaryControl.unchanged')
          : undefined,
      reason: parsed.success ? undefined : t('action.reasonInvalid'),
    };
    setErrors(next);
    if (next.percent || !parsed.success || !canary) return;
    if (await onApply({ version: canary, percent, reason: parsed.data })) setReason('');
  }

  return (
    <form className="form admin-canary-control" noValidate onSubmit={(event) => void submit(event)} aria-busy={pending}>
      <PercentField value={percent} min={0} onChange={setPercent} disabled={pending} error={errors.percent} slider />
      <TextField
        label={t('action.reason')}
        required
        minLength={3}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={errors.reason}
      />
      {failure ? <WriteFailureNotice failure={failure} /> : null}
      <div>
        <Button type="submit" disabled={pending}>
          {t('canaryControl.apply')}
        </Button>
      </div>
    </form>
  );
}
