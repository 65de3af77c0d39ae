import { apiErrorSchema } from '@atrium/contracts';
import { trustedResponse } from '@atrium/contracts/values';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { ApiRequestError, createApiClient, readApiError } from './api-client.js';

const client = (onUnauthorized = () => {}) => createApiClient({ csrfToken: () => 'csrf', onUnauthorized });

function answer(status: number, body: unknown, statusText = '') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(status === 204 ? null : text, { status, statusText })),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('readApiError', () => {
  const bodies: unknown[] = [
    { code: 'chat.not_found', message: 'No such chat.' },
    { code: 'request.invalid', message: 'Bad.', requestId: 'abc', issues: [{ path: 'title', message: 'Too long' }] },
    { code: 'request.invalid', message: 'Bad.', issues: [] },
    { code: 'internal', message: 'x', extra: true },
    { code: 'no.such_code', message: 'x' },
    { code: 'internal' },
    { code: 'internal', message: 42 },
    { code: 'internal', message: 'x', requestId: 7 },
    { code: 'request.invalid', message: 'x', issues: 'title' },
    { code: 'request.invalid', message: 'x', issues: [{ path: ['title'], message: 'x' }] },
    { code: 'request.invalid', message: 'x', issues: [null] },
    [{ code: 'internal', message: 'x' }],
    '<html>Bad gateway</html>',
    null,
    undefined,
    42,
  ];

  test.each(bodies.map((body) => [JSON.stringify(body), body]))('agrees with apiErrorSchema on %s', (_, body) => {
    const parsed = apiErrorSchema.safeParse(body);
    expect(readApiError(body)).toEqual(parsed.success ? parsed.data : null);
  });

  test('keeps only the fields of the contract in each issue', () => {
    const body = {
      code: 'request.invalid',
      message: 'Bad.',
      issues: [{ path: 'title', message: 'Long', code: 'too_big' }],
    };
    expect(readApiError(body)?.issues).toEqual([{ path: 'title', message: 'Long' }]);
  });
});

describe('the client on error bodies', () => {
  test('a contract error body becomes an ApiRequestError with its code, message, issues and whole body', async () => {
    const body = { code: 'request.invalid', message: 'Bad title.', issues: [{ path: 'title', message: 'Too long' }] };
    answer(400, body, 'Bad Request');
    const error = await client()
      .send('PATCH', '/api/chats/1', { title: 'x' }, trustedResponse<{ ok: true }>())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'request.invalid', message: 'Bad title.', body });
    expect((error as ApiRequestError).issues).toEqual([{ path: 'title', message: 'Too long' }]);
  });

  test('an unknown code or a body that is not JSON is `internal` with the status line, and no body', async () => {
    for (const body of [{ code: 'teapot.brewing', message: 'x' }, '<html>502</html>']) {
      answer(502, body, 'Bad Gateway');
      const error = await client()
        .get('/api/chats', trustedResponse<unknown>())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 502, code: 'internal', message: '502 Bad Gateway', body: undefined });
    }
  });

  test('401 calls onUnauthorized and rejects with the contract code', async () => {
    const onUnauthorized = vi.fn();
    answer(401, { code: 'auth.required', message: 'Sign in.' });
    await expect(client(onUnauthorized).get('/api/me', trustedResponse<unknown>())).rejects.toMatchObject({
      status: 401,
      code: 'auth.required',
    });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});

describe('response readers', () => {
  test('trustedResponse hands on the body as it came, a 204 as { ok: true }', async () => {
    const body = { chats: [{ id: 'c1', title: null, extra: 'kept' }], nextCursor: null };
    answer(200, body);
    await expect(client().get('/api/chats', trustedResponse<typeof body>())).resolves.toEqual(body);
    answer(204, null);
    await expect(client().send('DELETE', '/api/chats/1', {}, trustedResponse<{ ok: true }>())).resolves.toEqual({
      ok: true,
    });
  });

  test('a zod schema (as older remotes pass) still checks the body and throws its ZodError', async () => {
    answer(200, { id: 7 });
    await expect(client().get('/api/x', z.object({ id: z.string() }))).rejects.toBeInstanceOf(z.ZodError);
    answer(200, { id: 'a', extra: 1 });
    await expect(client().get('/api/x', z.object({ id: z.string() }))).resolves.toEqual({ id: 'a' });
  });
});
