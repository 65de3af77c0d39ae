import type { Locale } from '@atrium/contracts';
import { useMemo } from 'react';

const units = [
  ['gigabyte', 1024 ** 3],
  ['megabyte', 1024 ** 2],
  ['kilobyte', 1024],
] as const;

/**
 * A size for people, in binary multiples (1 MB = 1,048,576 bytes, as the 25 MB limit is
 * counted), at most one decimal, in the locale's number format.
 */
export function formatBytes(bytes: number, locale: Locale): string {
  const [unit, size] = units.find(([, size]) => bytes >= size) ?? ['byte', 1];
  // 'short' spells a byte out ("900 byte"); 'narrow' reads "900B" in every locale.
  const unitDisplay = unit === 'byte' ? 'narrow' : 'short';
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 }).format(
    bytes / size,
  );
}

/** Formatters for the remote's locale: sizes and dates. */
export function useFormats(locale: Locale) {
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      bytes: (bytes: number) => formatBytes(bytes, locale),
      dateTime: (iso: string) => dateTime.format(new Date(iso)),
    };
  }, [locale]);
}
