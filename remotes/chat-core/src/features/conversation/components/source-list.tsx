import type { Citation } from '@atrium/contracts';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { sourcePath } from '../source-passage.js';

/** The compact "Sources" list under a finished answer: n, title › headings, page; each opens its passage. */
export function SourceList({
  citations,
  onOpen,
}: {
  citations: readonly Citation[];
  onOpen(citation: Citation): void;
}) {
  const { t } = useTranslation('chat');
  const titleId = useId();
  return (
    <div className="chat-sources" data-testid="sources">
      <p id={titleId} className="chat-sources-title">
        {t('sources.title')}
      </p>
      <ol aria-labelledby={titleId}>
        {citations.map((citation) => (
          <li key={citation.n}>
            <button
              type="button"
              className="chat-source"
              onClick={() => onOpen(citation)}
              data-testid="source"
              data-n={citation.n}
            >
              <span className="chat-cite">{citation.n}</span>
              <span className="chat-source-path">{sourcePath(citation)}</span>
              {citation.page !== null ? (
                <span className="chat-source-page">{t('sources.page', { page: citation.page })}</span>
              ) : null}
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
