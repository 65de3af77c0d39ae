import { useEffect, useState } from 'react';
import type { MarkdownLabels } from './markdown.js';

type CopyState = 'idle' | 'copied' | 'failed';

export function CodeBlock({ lang, code, labels }: { lang: string; code: string; labels: MarkdownLabels }) {
  const [copy, setCopy] = useState<CopyState>('idle');

  useEffect(() => {
    if (copy === 'idle') return;
    const timer = setTimeout(() => setCopy('idle'), 2000);
    return () => clearTimeout(timer);
  }, [copy]);

  async function copyCode() {
    try {
      await navigator.clipboard.writeText(code);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  const status = copy === 'copied' ? labels.copied : copy === 'failed' ? labels.copyFailed : '';
  return (
    <figure className="chat-code" data-testid="code-block">
      <figcaption className="chat-code-bar">
        <span className="chat-code-lang">{lang || labels.code}</span>
        <span role="status" className="chat-code-status">
          {status}
        </span>
        <button
          type="button"
          className="atrium-btn atrium-btn-secondary chat-code-copy"
          onClick={() => void copyCode()}
        >
          {labels.copy}
        </button>
      </figcaption>
      <pre>
        <code data-lang={lang || undefined}>{code}</code>
      </pre>
    </figure>
  );
}
