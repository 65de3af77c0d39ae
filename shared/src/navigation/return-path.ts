/** Where a signed-in user lands when `?next=` is missing or would leave the site. */
export const defaultReturnPath = '/chat';

/**
 * The path to go to after signing in: `raw` (a `?next=` value, already query-decoded) resolved
 * by the URL parser (WHATWG URL) against `origin`, kept only when it stays on `origin` and reads
 * back as the same place; anything else is `/chat`. The read-back check matters because the
 * parser removes dot segments and turns `\` into `/`: `/.//evil.example`, `/..//evil.example`,
 * `/%2e//evil.example` and `/./\evil.example` all resolve to the pathname `//evil.example`,
 * which a browser or router then reads as another host. Tabs and newlines are stripped by the
 * parser, so `/\t/evil.example` is refused the same way; `javascript:` has an opaque origin.
 *
 * Returns `pathname + search + hash`, always starting with a single `/`.
 */
export function safeReturnPath(raw: string | null | undefined, origin: string = window.location.origin): string {
  if (!raw) return defaultReturnPath;
  const home = new URL(origin).origin;
  let url: URL;
  try {
    url = new URL(raw, home);
  } catch {
    return defaultReturnPath;
  }
  if (url.origin !== home) return defaultReturnPath;
  const path = url.pathname + url.search + url.hash;
  if (new URL(path, home).href !== url.href) return defaultReturnPath;
  return path;
}

/** The sign-in page, asked to come back to `returnTo` (a path on this site) afterwards. */
export function signInPath(returnTo: string): string {
  return `/login?next=${encodeURIComponent(returnTo)}`;
}
