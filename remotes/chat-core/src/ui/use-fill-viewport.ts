import { type RefObject, useLayoutEffect } from 'react';

/**
 * Sets `--chat-top` on the element to its distance from the top of the page, so CSS can size it
 * to the rest of the viewport (the composer stays pinned) whatever height the shell's header has.
 */
export function useFillViewport(ref: RefObject<HTMLElement | null>) {
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const top = element.getBoundingClientRect().top + window.scrollY;
      element.style.setProperty('--chat-top', `${Math.round(top)}px`);
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [ref]);
}
