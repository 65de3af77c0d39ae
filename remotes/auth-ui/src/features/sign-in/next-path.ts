const fallback = '/chat';
const probeOrigin = 'https://atrium.invalid';

/**
 * Where to go after signing in: the `?next=` path only if it stays on this site. `//host` and
 * `/\host` are protocol-relative to browsers, so resolving against a fixed origin catches both.
 */
export function safeNextPath(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(raw, probeOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== probeOrigin) return fallback;
  return url.pathname + url.search + url.hash;
}
