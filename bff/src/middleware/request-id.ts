import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

/** A caller's id is kept only if it cannot smuggle anything into logs or headers. */
const saneRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && saneRequestId.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    // Every line logged while handling this request carries its id.
    c.set('logger', c.get('logger').child({ requestId: id }));
    c.header('X-Request-Id', id);
    await next();
  });
