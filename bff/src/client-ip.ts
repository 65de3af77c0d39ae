import type { Context } from 'hono';
import type { AppEnv } from './env.js';

/** Behind our own proxy the nearest hop it appended is the client; otherwise the socket peer is. */
export function clientIp(c: Context<AppEnv>): string | null {
  if (c.get('deps').config.trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',') ?? [];
    const last = hops.at(-1)?.trim();
    if (last) return last;
  }
  return c.env?.incoming?.socket.remoteAddress ?? null;
}
