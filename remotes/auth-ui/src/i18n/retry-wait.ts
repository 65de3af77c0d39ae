/**
 * When to try again after a 429, in the reader's language: `when` is relative ("in 15 minutes",
 * "15分钟后"), `time` the clock time it falls on. `seconds` comes from the answer's Retry-After.
 */
export function describeRetry(
  seconds: number,
  locale: string,
  now: number = Date.now(),
): { when: string; time: string } {
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  const when = seconds < 60 ? relative.format(seconds, 'second') : relative.format(Math.ceil(seconds / 60), 'minute');
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(now + seconds * 1000));
  return { when, time };
}
