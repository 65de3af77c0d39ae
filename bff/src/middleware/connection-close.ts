import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

const hasBody = (headers: Headers) =>
  headers.has('transfer-encoding') || Number(headers.get('content-length') ?? '0') > 0;

/**
 * Answers `Connection: close` when a request that carries a body is refused (status >= 400).
 * Most refusals come before the body is read (body limit 413, CSRF 403 and 415, 401 before
 * authentication, a path that names no route), and the rest of that body is still on the
 * socket: a keep-alive client would send its next request behind bytes the server never parsed.
 * RFC 9112 §9.6 / §9.3: the server says it closes, so the client opens a new connection.
 * Installed first, so it sees every response, the error handler's included.
 */
export const closeAfterRefusedBody = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.res.status >= 400 && hasBody(c.req.raw.headers)) c.header('Connection', 'close');
  });
