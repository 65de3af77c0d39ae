import { Hono } from 'hono';
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

  async function measure(run: () => Promise<Response>): Promise<number> {
    let done = 0;
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
    return done / seconds;
  }
  const baseline = await measure(() => bare.request('http://localhost/bare'));
  const chats = await measure(() =>
    served.t.app.request('http://localhost/api/chats', { headers: { Cookie: cookie } }),
  );
  process.stdout.write(
    `requests/s over ${seconds}s, ${concurrency} in flight (${served.t.db ? 'PGlite in memory' : ''})\n` +
      `  bare Hono route     ${baseline.toFixed(0)}\n` +
      `  GET /api/chats      ${chats.toFixed(0)}\n` +
      `  ratio               ${(chats / baseline).toFixed(3)}\n`,
  );
  await served.close();
  process.exit(0);
}
