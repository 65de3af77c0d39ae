import { okResponseSchema } from '@atrium/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, createApiClient, traceHeaders } from './api-client.js';

const traceparent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** The X-Request-Id of the nth call the spied fetch saw. */
const sentRequestId = (fetch: { mock: { calls: unknown[][] } }, n: number) =>
  ((fetch.mock.calls[n]?.[1] as RequestInit | undefined)?.headers as Record<string, string> | undefined)?.[
    'X-Request-Id'
  ];

describe('request and trace ids on every call', () => {
  const api = createApiClient({ csrfToken: () => 'csrf-1', onUnauthorized: () => {} });
  afterEach(() => vi.restoreAllMocks());

  it('sends a fresh traceparent per call, its trace id as X-Request-Id, beside the call’s own headers', async () => {
    const fetch = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } }));
    await api.get('/api/me', okResponseSchema);
    await api.send('POST', '/api/x', { a: 1 }, okResponseSchema, { headers: { 'Idempotency-Key': 'k-1' } });
    const sent = fetch.mock.calls.map(([, init]) => init?.headers as Record<string, string>);
    expect(sent).toHaveLength(2);
    for (const headers of sent) {
      const [, traceId, spanId] = traceparent.exec(headers.traceparent ?? '') ?? [];
      expect(traceId).toBeDefined();
      expect(traceId).not.toBe('0'.repeat(32));
      expect(spanId).not.toBe('0'.repeat(16));
      expect(headers['X-Request-Id']).toBe(traceId);
    }
    expect(sent[0]!['X-Request-Id']).not.toBe(sent[1]!['X-Request-Id']);
    expect(sent[1]).toMatchObject({ 'Idempotency-Key': 'k-1', 'X-CSRF-Token': 'csrf-1' });
  });

  it('puts the id the call was sent with on its error, for answers and for dropped connections', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ code: 'internal', message: 'Something went wrong on our side.' }), {
        status: 500,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    const failed = await api.get('/api/x', okResponseSchema).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ApiRequestError);
    expect(sentRequestId(fetch, 0)).toMatch(/^[0-9a-f]{32}$/);
    expect((failed as ApiRequestError).requestId).toBe(sentRequestId(fetch, 0));
    fetch.mockRejectedValue(new TypeError('Failed to fetch'));
    const dropped = (await api.get('/api/x', okResponseSchema).catch((error: unknown) => error)) as ApiRequestError;
    expect(dropped.code).toBe('network');
    expect(dropped.requestId).toBe(sentRequestId(fetch, 1));
  });

  it('makes ids the BFF keeps (its X-Request-Id rule: 8–128 of [A-Za-z0-9._:-])', () => {
    const { requestId } = traceHeaders();
    expect(requestId).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });
});
