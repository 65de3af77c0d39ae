import type { ApiClient } from '@atrium/contracts';
import { type DocumentAudience, type DocumentView, documentAudiences, type Locale } from '@atrium/contracts';
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormats } from '../../../i18n/formats.js';
import { acceptedExtensions } from '../formats.js';
import { useUploads } from '../hooks/use-uploads.js';
import { DropZone } from './drop-zone.js';
import { UploadItem } from './upload-item.js';

interface UploadPanelProps {
  api: ApiClient;
  locale: Locale;
  basePath: string;
  /** The BFF's limit in bytes; larger files are refused before sending. */
  limitBytes: number;
  /** Whether the caller's role may publish to a shared audience (else every upload is private). */
  canShare: boolean;
  onCreated(document: DocumentView): void;
}

/** Drop or pick several files; each is sent with byte progress and can be cancelled, retried or dismissed. */
export function UploadPanel({ api, locale, basePath, limitBytes, canShare, onCreated }: UploadPanelProps) {
  const { t } = useTranslation('uploads');
  const { bytes } = useFormats(locale);
  const headingId = useId();
  const audienceId = useId();
  const [audience, setAudience] = useState<DocumentAudience>('private');
  const { items, uploader } = useUploads(api, onCreated);

  const add = useCallback(
    (files: File[]) => uploader.add(files, canShare ? audience : 'private', limitBytes),
    [uploader, canShare, audience, limitBytes],
  );

  const hint = `${t('upload.formats', { formats: acceptedExtensions.join(' ') })} ${t('upload.limit', { size: bytes(limitBytes) })}`;

  return (
    <section className="uploads-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('upload.heading')}</h2>
      {canShare ? (
        <div className="uploads-audience">
          <label htmlFor={audienceId}>{t('upload.audience')}</label>
          <select
            id={audienceId}
            value={audience}
            onChange={(event) => setAudience(event.target.value as DocumentAudience)}
          >
            {documentAudiences.map((value) => (
              <option key={value} value={value}>
                {t(`audience.${value}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <DropZone onFiles={add} hint={hint} />
      {items.length ? (
        <ul className="uploads-items" aria-label={t('upload.listLabel')}>
          {items.map((item) => (
            <UploadItem
              key={item.key}
              item={item}
              basePath={basePath}
              bytes={bytes}
              limitBytes={limitBytes}
              onCancel={() => uploader.cancel(item.key)}
              onRetry={() => uploader.retry(item.key)}
              onDismiss={() => uploader.dismiss(item.key)}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
