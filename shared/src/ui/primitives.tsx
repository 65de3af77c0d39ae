import type { ComponentPropsWithRef, ReactNode } from 'react';

/**
 * Minimal, accessible building blocks so every remote looks and behaves alike. `Button` passes
 * `ref` through (React 19 ref-as-prop), so a caller can move focus to it.
 */
export function Button({
  variant = 'primary',
  ...props
}: ComponentPropsWithRef<'button'> & { variant?: 'primary' | 'secondary' | 'danger' }) {
  return <button type="button" {...props} className={`atrium-btn atrium-btn-${variant} ${props.className ?? ''}`} />;
}

export function Spinner({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="atrium-spinner">
      <span className="atrium-spinner-dot" aria-hidden="true" />
      {label}
    </div>
  );
}

/** A retry button needs its label in the reader's language: there is no English fallback. */
type Retry = { onRetry?: undefined; retryLabel?: undefined } | { onRetry: () => void; retryLabel: string };

export function ErrorNotice({ title, children, onRetry, retryLabel }: { title: string; children?: ReactNode } & Retry) {
  return (
    <div role="alert" className="atrium-error">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
      {onRetry ? (
        <Button variant="secondary" onClick={onRetry}>
          {retryLabel}
        </Button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="atrium-empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/**
 * A wide table scrolls sideways inside this box instead of widening the page (a phone is 390 px).
 * It is a labelled region that takes focus, so the keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
