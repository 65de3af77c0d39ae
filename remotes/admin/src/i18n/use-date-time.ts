import type { Locale } from '@atrium/contracts';
import { useMemo } from 'react';

export function useDateTime(locale: Locale): (iso: string) => string {
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}
