import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';

const nearBottomPx = 64;
const nearTopPx = 80;

/**
 * Keeps a growing message list pinned to the newest message while the reader is there, and
 * leaves the scroll position alone once they scroll up (no fighting). When older messages are
 * prepended, the messages under the reader's eyes stay put.
 */
export function useScrollAnchor(
  ref: RefObject<HTMLElement | null>,
  firstId: string | undefined,
  onNearTop: () => void,
) {
  const pinned = useRef(true);
  const [away, setAway] = useState(false);
  const previous = useRef<{ firstId: string | undefined; height: number }>({ firstId: undefined, height: 0 });

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const before = previous.current;
    if (!pinned.current && before.firstId !== undefined && firstId !== before.firstId) {
      element.scrollTop += element.scrollHeight - before.height;
    } else if (pinned.current) {
      element.scrollTop = element.scrollHeight;
    }
    previous.current = { firstId, height: element.scrollHeight };
  });

  const onScroll = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < nearBottomPx;
    setAway(!pinned.current);
    if (element.scrollTop < nearTopPx && !pinned.current) onNearTop();
  }, [ref, onNearTop]);

  const toBottom = useCallback(() => {
    const element = ref.current;
    pinned.current = true;
    setAway(false);
    if (element) element.scrollTop = element.scrollHeight;
  }, [ref]);

  return { onScroll, away, toBottom };
}
