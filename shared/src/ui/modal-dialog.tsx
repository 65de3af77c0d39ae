import { type ReactNode, useEffect, useId, useRef } from 'react';
import { restoreFocus } from './restore-focus.js';

interface ModalDialogProps {
  open: boolean;
  title: string;
  onCancel(): void;
  children: ReactNode;
  /** The remote's own dialog class (`admin-dialog`, `uploads-dialog`): each remote styles its dialogs. */
  className: string;
  testId?: string;
  /** The id of the element that describes the dialog (`aria-describedby`). */
  describedBy?: string;
  /**
   * Where focus goes on close when the element that opened the dialog is gone or disabled (its
   * row was removed by the decision the dialog made); called after the page re-rendered.
   */
  fallbackFocus?(): HTMLElement | null;
  /**
   * False while Esc must not close it: a request it started is still running (closing would
   * hide its outcome), or it shows something that can't be shown again (a one-time secret) and
   * waits for its own "Done". Default true.
   */
  dismissible?: boolean;
}

/**
 * A modal `<dialog>`: `showModal` makes the page behind inert (focus stays inside), Esc cancels
 * (unless `dismissible` is false),
 * and focus goes back to whatever opened it (`restoreFocus`, else `fallbackFocus`) — both when
 * `open` turns false and when the dialog is unmounted while open (a caller rendering it only
 * while needed), so closing never drops focus to <body>.
 */
export function ModalDialog({
  open,
  title,
  onCancel,
  children,
  className,
  testId,
  describedBy,
  fallbackFocus,
  dismissible = true,
}: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const fallback = useRef(fallbackFocus);
  fallback.current = fallbackFocus;
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    }
    if (!open && dialog.open) {
      dialog.close();
      restoreFocus(opener.current, () => fallback.current?.() ?? null);
      opener.current = null;
    }
  }, [open]);

  // Unmounted while open: passive cleanups run after the page's DOM changes of the same render,
  // so the opener's row is already updated (or gone) when focus is placed.
  useEffect(() => {
    const dialog = ref.current;
    return () => {
      if (!dialog?.open) return;
      dialog.close();
      restoreFocus(opener.current, () => fallback.current?.() ?? null);
      opener.current = null;
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissible) onCancel();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
