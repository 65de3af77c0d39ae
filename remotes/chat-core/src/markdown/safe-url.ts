const allowedProtocols = new Set(['http:', 'https:', 'mailto:']);

/**
 * The href a link may carry, or null when it must render as plain text. Only absolute
 * http(s) and mailto URLs pass; the URL parser normalises case and strips the tabs and
 * newlines browsers ignore, so `JaVa\tScript:` cannot slip through.
 */
export function safeHref(raw: string): string | null {
  const candidate = raw.trim();
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return allowedProtocols.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
