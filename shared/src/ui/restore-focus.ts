/** The part of an element focus return needs (an `HTMLElement` fits); plain objects in tests. */
export interface FocusTarget {
  readonly isConnected: boolean;
  focus(): void;
}

/** Whether focus can go back to `element`: still in the document and not a disabled control. */
function usable(element: FocusTarget): boolean {
  return element.isConnected && !(element as { disabled?: unknown }).disabled;
}

/**
 * Where focus goes when a dialog closes (Esc, Cancel or done): back to `opener`, the element
 * focused when it opened, while that is still in the document and enabled; otherwise to what
 * `fallback` names (say, the next row when the opener's row went away). Focuses it and returns
 * it; null (focus left where the browser put it) when neither is usable. WAI-ARIA APG, "Dialog
 * (Modal)": on close, focus returns to the invoking element unless it no longer exists.
 */
export function restoreFocus(opener: FocusTarget | null, fallback?: () => FocusTarget | null): FocusTarget | null {
  const candidate = opener && usable(opener) ? opener : (fallback?.() ?? null);
  const target = candidate && usable(candidate) ? candidate : null;
  target?.focus();
  return target;
}

/** One row of a list of actionable rows, as `nextRowTarget` sees it: its id and first focusable control. */
export interface RowTarget<T> {
  id: string;
  control: T | null;
}

/**
 * After acting on row `actedId` removed its controls (or the row itself): the first control of
 * a later row. `rows` are the rows now, in order; `before` the row ids in order when the action
 * began, so a removed row's place is known. Rows now that were not there before (new arrivals
 * are put first) count as before it. Null when no later row has a control: focus the table.
 */
export function nextRowTarget<T>(rows: readonly RowTarget<T>[], actedId: string, before: readonly string[]): T | null {
  const place = before.indexOf(actedId);
  const still = rows.findIndex((row) => row.id === actedId);
  const start =
    still >= 0
      ? still + 1
      : place < 0
        ? rows.length
        : rows.filter((row) => {
            const was = before.indexOf(row.id);
            return was < 0 || was < place;
          }).length;
  return rows.slice(start).find((row) => row.control !== null)?.control ?? null;
}
