import { publishBroadcast } from '../bff/src/realtime/event-log.js';
import { Browser } from '../bff/src/testing/browser.js';
import { buildOf, createToken, publish } from '../bff/src/testing/registry-publisher.js';
import { SseReader } from '../bff/src/testing/sse-reader.js';
import { type TestApp, testPassword } from '../bff/src/testing/test-app.js';
import { flag, helpRequested, servedApp, summary } from './harness.js';

if (
  !helpRequested(`
rollback-fanout — rollback API call → release.changed received by every one of N open SSE clients.
  Baselines in the same run: the same fan-out of a no-op broadcast (publishBroadcast, no registry),
  and a plain HTTP round trip (GET /healthz) over the same loopback.
  --clients N   open event streams (default 1000)
  --rounds R    rollbacks measured (each followed by an unmeasured promote back; default 20)
`)
) {
  const clients = flag('clients', 1000);
  const rounds = flag('rounds', 20);
  const served = await servedApp();
  const { t, base } = served;

  await t.createUser({ email: 'ops@example.com', role: 'admin' });
  const target = { app: { request: (url: string, init?: RequestInit) => fetch(url, init) } } as unknown as TestApp;
  const ops = new Browser(target, { origin: base });
  await ops.signIn('ops@example.com', testPassword);
  const token = await createToken(ops, 'chat-core');
  const published = await publish(t, token, 'chat-core', '1.3.0', buildOf('chat-core', '1.3.0'));
  if (published.status !== 201) throw new Error(`publish: ${published.status}`);
  const promote = () =>
    ops.fetch('POST', '/api/registry/remotes/chat-core/promote', { body: { version: '1.3.0', reason: 'forward' } });
  if ((await promote()).status !== 200) throw new Error('promote failed');

  // Arrival time per reason, per client; a round is done when every client has it.
  const arrivals = new Map<string, number[]>();
  const waiters = new Map<string, () => void>();
  const readers: SseReader[] = [];
  const cookie = [...served.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  for (let opened = 0; opened < clients; opened += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, clients - opened) }, async () => {
        const response = await fetch(`${base}/api/events`, {
          headers: { Cookie: cookie, Origin: base, 'Sec-Fetch-Site': 'same-origin' },
        });
        if (response.status !== 200) throw new Error(`events: ${response.status}`);
        const reader = new SseReader(response.body!);
        await reader.untilComment('live');
        readers.push(reader);
      }),
    );
  }
  for (const reader of readers) {
    void (async () => {
      for (let next = await reader.nextEvent(); next; next = await reader.nextEvent()) {
        if (next.event.type !== 'release.changed') continue;
        const times = arrivals.get(next.event.reason) ?? [];
        times.push(performance.now());
        arrivals.set(next.event.reason, times);
        if (times.length === clients) waiters.get(next.event.reason)?.();
      }
    })().catch(() => undefined);
  }

  async function fanOut(reason: string, trigger: () => Promise<unknown>) {
    const all = new Promise<void>((resolve) => waiters.set(reason, resolve));
    const start = performance.now();
    await trigger();
    await all;
    const times = arrivals.get(reason)!.map((at) => at - start);
    return { last: Math.max(...times), each: times };
  }

  const rollbackAll: number[] = [];
  const rollbackEach: number[] = [];
  const noopAll: number[] = [];
  const noopEach: number[] = [];
  const roundTrips: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const rolled = await fanOut(`rollback ${round}`, async () => {
      const response = await ops.fetch('POST', '/api/registry/remotes/chat-core/rollback', {
        body: { reason: `rollback ${round}` },
      });
      if (response.status !== 200) throw new Error(`rollback: ${response.status}`);
    });
    rollbackAll.push(rolled.last);
    rollbackEach.push(...rolled.each);
    await fanOut('forward', promote);
    arrivals.delete('forward');

    const noop = await fanOut(`noop ${round}`, () =>
      publishBroadcast(
        { db: t.db, bus: t.runtime.bus, clock: t.clock },
        { type: 'release.changed', remote: 'admin', reason: `noop ${round}` },
      ),
    );
    noopAll.push(noop.last);
    noopEach.push(...noop.each);

    const start = performance.now();
    await (await fetch(`${base}/healthz`)).arrayBuffer();
    roundTrips.push(performance.now() - start);
  }

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const row = (name: string, s: { p50: number; p99: number; n: number }) =>
    `  ${name.padEnd(44)} p50 ${ms(s.p50).padStart(9)}   p99 ${ms(s.p99).padStart(9)}   (n=${s.n})\n`;
  const [ra, na, rt] = [summary(rollbackAll), summary(noopAll), summary(roundTrips)];
  process.stdout.write(
    `${clients} SSE clients, ${rounds} rollbacks (${t.db ? 'PGlite in memory' : ''}, one process)\n` +
      row('rollback call → all clients notified', ra) +
      row('rollback call → each client notified', summary(rollbackEach)) +
      row('baseline: no-op broadcast → all notified', na) +
      row('baseline: no-op broadcast → each notified', summary(noopEach)) +
      row('baseline: GET /healthz round trip', rt) +
      `  ratio rollback / no-op broadcast (all)        p50 ${(ra.p50 / na.p50).toFixed(2)}   p99 ${(ra.p99 / na.p99).toFixed(2)}\n` +
      `  ratio rollback / HTTP round trip (all)        p50 ${(ra.p50 / rt.p50).toFixed(1)}   p99 ${(ra.p99 / rt.p99).toFixed(1)}\n`,
  );
  for (const reader of readers) await reader.close();
  await served.close();
  process.exit(0);
}
