import { okResponseSchema } from '@atrium/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, createApiClient, parseRetryAfter } from './api-client.js';

/** The BFF's answer as the browser's fetch hands it over. */
function answer(headers: Record<string, string>): void {
  const body = JSON.stringify({ code: 'auth.account_locked', message: 'Locked.' });
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(
    new Response(body, { status: 429, headers: { 'Content-Type': 'application/json', ...headers } }),
  );
}

describe('Retry-After on an error answer', () => {
  const api = createApiClient({ csrfToken: () => null, onUnauthorized: () => {} });
  afterEach(() => vi.restoreAllMocks());

  it('carries the seconds to wait on the error, or null when the server sent none', async () => {
    answer({ 'Retry-After': '600' });
    const locked = await api.get('/api/x', okResponseSchema).catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(ApiRequestError);
    expect(locked).toMatchObject({ status: 429, code: 'auth.account_locked', retryAfterSeconds: 600 });
    answer({});
    expect(await api.get('/api/x', okResponseSchema).catch((error: unknown) => error)).toMatchObject({
      retryAfterSeconds: null,
    });
  });

  it('reads both forms RFC 9110 allows: seconds and an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
