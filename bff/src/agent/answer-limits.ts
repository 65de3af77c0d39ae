/**
 * The most of `text` that fits in `room` characters (UTF-16 code units, as String.length counts
 * them), never splitting a surrogate pair: a cut emoji would be stored as U+FFFD.
 */
export function fitText(text: string, room: number): string {
  if (text.length <= room) return text;
  if (room <= 0) return '';
  const code = text.charCodeAt(room - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
  return text.slice(0, end);
}

export interface Deadline {
  /** Resolves when the deadline passes (never, once cleared). */
  passed: Promise<void>;
  clear(): void;
}

/** Calls `onPassed` once `ms` from now, unless cleared first. */
export function startDeadline(ms: number, onPassed: () => void): Deadline {
  let pass!: () => void;
  const passed = new Promise<void>((resolve) => {
    pass = resolve;
  });
  const timer = setTimeout(() => {
    onPassed();
    pass();
  }, ms);
  return { passed, clear: () => clearTimeout(timer) };
}
