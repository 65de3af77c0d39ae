import { Button } from '@atrium/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { canCancel, canRetry, type UploadItem as Item } from '../upload-state.js';

interface UploadItemProps {
  item: Item;
  basePath: string;
  bytes(value: number): string;
  limitBytes: number;
  onCancel(): void;
  onRetry(): void;
  onDismiss(): void;
}

/** One file on its way: its phase in words (a live region), byte progress while sending, what can be done next. */
export function UploadItem({ item, basePath, bytes, limitBytes, onCancel, onRetry, onDismiss }: UploadItemProps) {
  const { t } = useTranslation('uploads');
  const errorMessage = useErrorMessage();
  const nameId = useId();

  const phaseText = (() => {
    switch (item.phase) {
      case 'waiting':
        return t('upload.waiting');
      case 'sending':
        return t('upload.sending');
      case 'duplicate':
        return t('upload.duplicate', { title: item.existing?.title ?? item.name });
      case 'cancelled':
        return t('upload.cancelled');
      case 'rejected':
      case 'failed':
        if (item.problem?.kind === 'too_large') return t('upload.tooLarge', { limit: bytes(limitBytes) });
        if (item.problem?.kind === 'empty') return t('upload.empty');
        return t('upload.failed', { reason: errorMessage(item.problem?.error) });
    }
  })();

  return (
    <li className="uploads-item" aria-labelledby={nameId} data-phase={item.phase}>
      <div className="uploads-item-head">
        <span id={nameId} className="uploads-item-name">
          {item.name}
        </span>
        <span className="uploads-item-size">{bytes(item.sizeBytes)}</span>
      </div>
      {item.phase === 'sending' ? (
        <div className="uploads-item-progress">
          <progress
            max={item.sizeBytes}
            value={item.sentBytes}
            aria-label={t('upload.progressLabel', { name: item.name })}
          />
          <span>{t('upload.sentOf', { sent: bytes(item.sentBytes), total: bytes(item.sizeBytes) })}</span>
        </div>
      ) : null}
      <p role="status" className="uploads-item-status">
        {phaseText}
      </p>
      <div className="uploads-item-actions">
        {item.phase === 'duplicate' && item.existing ? (
          <Link to={`${basePath}/${item.existing.id}`} className="uploads-link">
            {t('upload.showExisting')}
          </Link>
        ) : null}
        {canCancel(item) ? (
          <Button variant="secondary" onClick={onCancel} aria-label={t('upload.cancelNamed', { name: item.name })}>
            {t('upload.cancel')}
          </Button>
        ) : null}
        {canRetry(item) ? (
          <Button variant="secondary" onClick={onRetry} aria-label={t('upload.retryNamed', { name: item.name })}>
            {t('upload.retry')}
          </Button>
        ) : null}
        {canCancel(item) ? null : (
          <Button variant="secondary" onClick={onDismiss} aria-label={t('upload.dismissNamed', { name: item.name })}>
            {t('upload.dismiss')}
          </Button>
        )}
      </div>
    </li>
  );
}
