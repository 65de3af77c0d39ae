import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { requestId } from './request-id.js';

const app = new Hono<AppEnv>().use(requestId()).get('/', (c) => c.text(c.get('requestId')));

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
});
