import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { requestId } from './request-id.js';

const lines: Record<string, unknown>[] = [];
const logger = createLogger('debug', (line) => lines.push(JSON.parse(line)));
const app = new Hono<AppEnv>()
  .use(async (c, next) => {
    c.set('logger', logger);
    await next();
  })
  .use(requestId())
  .get('/', (c) => {
    c.get('logger').info('handled');
    return c.text(c.get('requestId'));
  });

describe('requestId', () => {
  it('keeps a sane incoming id and echoes it', async () => {
    const response = await app.request('/', { headers: { 'X-Request-Id': 'lb-7f3a-0001' } });
    expect(response.headers.get('x-request-id')).toBe('lb-7f3a-0001');
    expect(await response.text()).toBe('lb-7f3a-0001');
  });

  it('replaces an id that could smuggle text into logs', async () => {
    const response = await app.request('/', { headers: { 'X-Request-Id': 'x"},{"admin":true' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the id on every line logged while handling the request', async () => {
    await app.request('/', { headers: { 'X-Request-Id': 'click-0042-abcd' } });
    expect(lines.at(-1)).toMatchObject({ msg: 'handled', requestId: 'click-0042-abcd' });
  });
});
