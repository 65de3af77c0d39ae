import { createMiddleware } from 'hono/factory';
import { tryDecodeURIComponent } from 'hono/utils/url';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { isStorableText } from '../storable-text.js';

/** Why the rule exists and what it allows: ../storable-text.ts. */
function refuse(where: string): AppError {
  return new AppError(
    'request.invalid_text',
    400,
    'Text may not contain NUL characters (U+0000) or unpaired surrogates (a broken emoji).',
    [{ path: where, message: 'contains U+0000 or an unpaired surrogate' }],
  );
}

/**
 * Throws `request.invalid_text` (400) when any string in a parsed JSON value, key or value, at
 * any depth, is not storable. `where` prefixes the reported path (`body.reports.0.detail`).
 * Walks with an explicit stack: a hostile body may nest deeper than the call stack.
 */
export function assertStorableJson(value: unknown, where: string): void {
  const stack: { value: unknown; path: string }[] = [{ value, path: where }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (typeof item.value === 'string') {
      if (!isStorableText(item.value)) throw refuse(item.path);
    } else if (Array.isArray(item.value)) {
      for (const [index, entry] of item.value.entries()) stack.push({ value: entry, path: `${item.path}.${index}` });
    } else if (item.value !== null && typeof item.value === 'object') {
      for (const [key, entry] of Object.entries(item.value)) {
        if (!isStorableText(key)) throw refuse(item.path);
        stack.push({ value: entry, path: `${item.path}.${key}` });
      }
    }
  }
}

/**
 * Refuses a request whose path segments (decoded as route parameters are), query keys and
 * values, or header values hold text a database cannot store: 400 `request.invalid_text`, before
 * any route sees it. JSON bodies are checked where they are parsed (`validate('json', …)`), so a
 * body is never read here, ahead of authentication.
 */
export const storableText = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.req.path.split('/').forEach((segment, index) => {
      if (!isStorableText(tryDecodeURIComponent(segment))) throw refuse(`path.${index}`);
    });
    for (const [key, values] of Object.entries(c.req.queries())) {
      if (!isStorableText(key)) throw refuse('query');
      if (!values.every(isStorableText)) throw refuse(`query.${key}`);
    }
    c.req.raw.headers.forEach((value, name) => {
      if (!isStorableText(value)) throw refuse(`header.${name}`);
    });
    await next();
  });
