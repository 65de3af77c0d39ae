import type { DocumentView } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

/** The document's status in words, with the step's progress or the failure's reason: a polite live region. */
export function StatusLine({ document }: { document: DocumentView }) {
  const { t } = useTranslation('uploads');
  const { status, progress, failure } = document;
  const parts = [t(`status.${status}`)];
  if (progress && progress.total > 0 && status !== 'ready') {
    parts.push(t('document.progress', { done: progress.done, total: progress.total }));
  }
  // Codes are `document.<reason>`; i18next reads a dot as nesting, so the key is the reason alone.
  if (status === 'failed' && failure) parts.push(t(`failure.${failure.code.replace('document.', '')}`));
  return (
    <p role="status" className="uploads-status" data-status={status}>
      {parts.join(' · ')}
    </p>
  );
}
