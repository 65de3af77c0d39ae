import { Hono } from 'hono';
import { loadConfig } from '../bff/src/config.js';
import { flag, helpRequested, servedApp } from './harness.js';

if (
  !helpRequested(`
chats-rps — authenticated GET /api/chats requests/s, as a ratio to a bare Hono route in the same process.
  Both run through app.request (no sockets), so the ratio is middleware + session lookup + SQL + validation.
  --seconds S       per side (default 3)
  --concurrency C   requests in flight (default 16)
`)
) {
  const seconds = flag('seconds', 3);
  const concurrency = flag('concurrency', 16);
  const served = await servedApp();
  for (let i = 0; i < 20; i++) await served.newChat();
  const cookie = [...served.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const bare = new Hono().get('/bare', (c) => c.json({ ok: true }));

  /** Requests/s, and this process's CPU time per request: the second holds up when other work shares the cores. */
  async function measure(run: () => Response | Promise<Response>): Promise<{ rps: number; cpuUs: number }> {
    let done = 0;
    const cpu = process.cpuUsage();
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const response = await run();
          if (!response.ok) throw new Error(`status ${response.status}`);
          await response.arrayBuffer();
          done++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return { rps: done / seconds, cpuUs: (used.user + used.system) / done };
  }
  const baseline = await measure(() => bare.request('http://localhost/bare'));
  const chats = await measure(() =>
    served.t.app.request('http://localhost/api/chats', { headers: { Cookie: cookie } }),
  );
  const driver = loadConfig().database.driver === 'postgres' ? 'PostgreSQL' : 'PGlite in memory';
  process.stdout.write(
    `${seconds}s per side, ${concurrency} in flight, ${driver}     requests/s   CPU µs/request (this process)\n` +
      `  bare Hono route     ${baseline.rps.toFixed(0).padStart(10)}   ${baseline.cpuUs.toFixed(0).padStart(8)}\n` +
      `  GET /api/chats      ${chats.rps.toFixed(0).padStart(10)}   ${chats.cpuUs.toFixed(0).padStart(8)}\n` +
      `  ratio               ${(chats.rps / baseline.rps).toFixed(3).padStart(10)}   ${(chats.cpuUs / baseline.cpuUs).toFixed(1).padStart(8)}\n`,
  );
  await served.close();
  process.exit(0);
}
