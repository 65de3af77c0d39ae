/*
 * PostgreSQL cannot store U+0000 in `text` ("invalid byte sequence for encoding UTF8: 0x00") nor
 * `\u0000` or an unpaired surrogate escape in `jsonb`; a lone surrogate in `text` is silently
 * replaced by U+FFFD on the way to the driver. RFC 8259 §8.2 calls such strings unpredictable.
 * Text from a client that breaks this is refused (middleware/storable-text.ts); text we only
 * relay, such as a model's answer, is repaired with `toStorableText`.
 */
const unpairedSurrogate = /\p{Cs}/u;
const unpairedSurrogates = /\p{Cs}/gu;

/** True when `text` is well-formed UTF-16 without U+0000, i.e. any text or jsonb column can hold it. */
export function isStorableText(text: string): boolean {
  return !text.includes('\0') && !unpairedSurrogate.test(text);
}

/** `text` with each U+0000 and each unpaired surrogate replaced by U+FFFD (the replacement character). */
export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.replaceAll('\0', '\uFFFD').replace(unpairedSurrogates, '\uFFFD');
}

/** True when every string in a JSON value (object keys included) is storable text. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, item]) => isStorableText(key) && isStorableJson(item));
  }
  return true;
}

/**
 * A JSON value with every string value passed through `map` (and every object key through
 * `mapKey`, unchanged by default), the same shape otherwise.
 */
export function mapJsonStrings<T>(
  value: T,
  map: (text: string) => string,
  mapKey: (key: string) => string = (key) => key,
): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return map(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [mapKey(key), walk(inner)]));
    }
    return item;
  };
  return walk(value) as T;
}

/** A JSON value with every string (keys included) passed through `toStorableText`. */
export function toStorableJson<T>(value: T): T {
  return isStorableJson(value) ? value : mapJsonStrings(value, toStorableText, toStorableText);
}
