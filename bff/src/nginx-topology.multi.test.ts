import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chatResponseSchema,
  type Message,
  postMessageResponseSchema,
  remoteMapSchema,
  runningMessageStatuses,
  type ServerEvent,
  sessionListResponseSchema,
} from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './testing/browser.js';
import {
  type BffProcess,
  createScratchDatabase,
  freePort,
  requireServices,
  startBff,
} from './testing/multi-instance.js';
import {
  httpsTarget,
  type NginxProcess,
  nginxConfPath,
  requireNginx,
  selfSignedCertificate,
  startNginx,
  untemplated,
} from './testing/nginx.js';
import { buildOf, createToken, publish } from './testing/registry-publisher.js';
import { RoutedTab } from './testing/routed-tab.js';
import { type ScriptedLlm, startScriptedLlm } from './testing/scripted-llm.js';

/*
 * The production topology of docker-compose.yml, natively (no Docker engine here): Debian's nginx
 * running deploy/nginx.conf (only ports, upstream addresses, certificate and pid/log/temp paths
 * differ: testing/nginx.ts) over TLS in front of two real BFF processes on one PostgreSQL and one
 * Redis. Every request of this file goes through nginx. The rendered config adds one response
 * header, X-Atrium-Upstream ($upstream_addr), so the test knows which BFF served each request.
 */

const adminEmail = 'admin@atrium.test';
const adminPassword = 'a perfectly long admin password';

let llm: ScriptedLlm;
let dropDatabase: () => Promise<void>;
let a: BffProcess;
let b: BffProcess;
let nginx: NginxProcess;
let scratchDir: string;
let origin: string;
let target: ReturnType<typeof httpsTarget>;
let httpPort: number;

const addressOf = (bff: BffProcess) => `127.0.0.1:${bff.port}`;
/**
 * The BFF that answered: the last of `$upstream_addr`, which lists every BFF nginx tried (a
 * stopped one first, when nginx tries it again after `fail_timeout` and moves on).
 */
const servedBy = (response: Response) => response.headers.get('x-atrium-upstream')?.split(', ').at(-1) ?? null;

async function signIn(headers: Record<string, string> = {}): Promise<Browser> {
  const browser = new Browser(target as never, { origin, headers });
  const response = await browser.signIn(adminEmail, adminPassword);
  expect(response.status).toBe(200);
  return browser;
}

function plainHttpGet(url: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    httpGet(url, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    }).on('error', reject);
  });
}

const finalOf = (answerId: string) => (e: ServerEvent) =>
  e.type === 'message.updated' &&
  e.message.id === answerId &&
  !(runningMessageStatuses as readonly string[]).includes(e.message.status);

beforeAll(async () => {
  // First: without nginx this suite fails here, with how to install it; it never skips.
  requireNginx();
  const { databaseUrl, redisUrl } = requireServices();
  scratchDir = mkdtempSync(path.join(tmpdir(), 'atrium-nginx-'));
  const cert = selfSignedCertificate(scratchDir);
  httpPort = await freePort();
  const httpsPort = await freePort();
  origin = `https://localhost:${httpsPort}`;
  target = httpsTarget(origin, cert.pem);

  const scratch = await createScratchDatabase(databaseUrl);
  dropDatabase = scratch.drop;
  llm = await startScriptedLlm();
  const env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    OPENAI_BASE_URL: llm.url,
    ATRIUM_ADMIN_EMAIL: adminEmail,
    ATRIUM_ADMIN_PASSWORD: adminPassword,
    // As in docker-compose.yml: the public https origin, and the proxy trusted for the client IP.
    ATRIUM_PUBLIC_ORIGIN: origin,
    ATRIUM_TRUST_PROXY: 'true',
    ATRIUM_ANSWER_LEASE_MS: '1500',
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    LOG_LEVEL: 'warn',
  };
  // One after the other: the first start creates the administrator.
  a = await startBff(env);
  b = await startBff(env);
  nginx = await startNginx({
    upstreams: [addressOf(a), addressOf(b)],
    httpPort,
    httpsPort,
    certificate: cert.certificate,
    certificateKey: cert.key,
    prefix: path.join(scratchDir, 'nginx'),
  });
}, 240_000);

afterAll(async () => {
  await nginx?.stop();
  await a?.kill();
  await b?.kill();
  await llm?.close();
  await dropDatabase?.();
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
});

describe('nginx (deploy/nginx.conf) in front of two BFFs', () => {
  it('runs the compose config itself: nginx -t passes and only the native lines differ', () => {
    expect(nginx.configTest).toMatch(/test is successful/);
    expect(untemplated(nginx.config)).toBe(untemplated(readFileSync(nginxConfPath, 'utf8')));
  });

  it('signs in over TLS with secure cookies, takes the client IP from the hop nginx appends, and streams an answer as it is written', async () => {
    // A client that claims another address: nginx appends the real one, the BFF takes that.
    const browser = await signIn({ 'X-Forwarded-For': '203.0.113.9' });
    expect(browser.cookies.has('__Host-atrium_session')).toBe(true);
    const sessions = sessionListResponseSchema.parse(
      await (await browser.fetch('GET', '/api/account/sessions')).json(),
    ).sessions;
    expect(sessions.find((s) => s.current)?.ip).toBe('127.0.0.1');

    // Plain http only redirects; /metrics is never proxied (each BFF is scraped directly).
    const plain = await plainHttpGet(`http://127.0.0.1:${httpPort}/chat?x=1`);
    expect(plain).toMatchObject({ status: 301, location: 'https://127.0.0.1/chat?x=1' });
    const metrics = await browser.fetch('GET', '/metrics');
    expect(metrics.status).toBe(404);
    expect(servedBy(metrics)).toBeNull();

    const tab = new RoutedTab(browser, servedBy);
    await tab.connect();
    const chat = chatResponseSchema.parse(
      await (await browser.fetch('POST', '/api/chats', { body: { title: 'through nginx' } })).json(),
    ).chat;
    llm.enqueue({
      steps: [
        { text: 'Streaming ' },
        { hold: 'first-delta' },
        { text: 'through nginx.' },
        { usage: { prompt: 5, completion: 3 } },
      ],
    });
    const posted = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'Does it stream?' },
      headers: { 'Idempotency-Key': 'stream-1' },
    });
    expect(posted.status).toBe(201);
    const { answer } = postMessageResponseSchema.parse(await posted.json());

    // The model is still held after its first words: they can only have come unbuffered.
    await llm.reached('first-delta');
    await tab.waitFor((e) => e.type === 'message.delta' && e.messageId === answer.id);
    expect(tab.events.find((r) => finalOf(answer.id)(r.event))).toBeUndefined();
    llm.release('first-delta');
    await tab.waitFor(finalOf(answer.id));
    const final = tab.events.find((r) => finalOf(answer.id)(r.event))!.event;
    expect(final).toMatchObject({ message: { status: 'complete', content: 'Streaming through nginx.' } });
    await tab.close();
  });

  it('replays missed events in order when the next connection lands on the other instance', async () => {
    const browser = await signIn();
    const tab = new RoutedTab(browser, servedBy);
    await tab.connect(addressOf(a));
    expect(tab.upstream).toBe(addressOf(a));
    const resumeFrom = tab.lastEventId;
    expect(resumeFrom).not.toBeNull();
    await tab.close();

    const titles = ['missed 1', 'missed 2', 'missed 3'];
    for (const title of titles) {
      expect((await browser.fetch('POST', '/api/chats', { body: { title } })).status).toBe(201);
    }

    const again = new RoutedTab(browser, servedBy);
    await again.connect(addressOf(b), resumeFrom);
    expect(again.upstream).toBe(addressOf(b));
    const created = again.replayed.filter((r) => r.event.type === 'chat.created');
    expect(created.map((r) => (r.event.type === 'chat.created' ? r.event.chat.title : null))).toEqual(titles);
    const seqs = again.replayed.map((r) => Number(r.id.split('.')[0]));
    expect(seqs[0]).toBe(Number(resumeFrom!.split('.')[0]) + 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    await again.close();
  });

  it('a rollback reaches tabs on both instances, and both serve the rolled-back version', async () => {
    const admin = await signIn();
    const secret = await createToken(admin, 'chat-core');
    for (const version of ['1.0.0', '1.1.0']) {
      const published = await publish(target as never, secret, 'chat-core', version, buildOf('chat-core', version));
      expect(published.status).toBe(201);
      const promoted = await admin.fetch('POST', '/api/registry/remotes/chat-core/promote', {
        body: { version, reason: `release ${version}` },
      });
      expect(promoted.status).toBe(200);
    }
    const onA = new RoutedTab(await signIn(), servedBy);
    const onB = new RoutedTab(await signIn(), servedBy);
    await onA.connect(addressOf(a));
    await onB.connect(addressOf(b));

    const rolledBack = await admin.fetch('POST', '/api/registry/remotes/chat-core/rollback', {
      body: { reason: 'errors after 1.1.0' },
    });
    expect(rolledBack.status).toBe(200);
    const rollback = (e: ServerEvent) =>
      e.type === 'release.changed' && e.remote === 'chat-core' && e.reason === 'errors after 1.1.0';
    await onA.waitFor(rollback);
    await onB.waitFor(rollback);

    // Each instance resolves the map from its own cache, invalidated by the broadcast.
    const servedVersions = new Map<string, string>();
    for (let i = 0; i < 8 && servedVersions.size < 2; i++) {
      const response = await admin.fetch('GET', '/api/remotes');
      expect(response.status).toBe(200);
      servedVersions.set(
        servedBy(response)!,
        remoteMapSchema.parse(await response.json()).remotes['chat-core']!.version,
      );
    }
    expect(Object.fromEntries(servedVersions)).toEqual({ [addressOf(a)]: '1.0.0', [addressOf(b)]: '1.0.0' });
    await onA.close();
    await onB.close();
  });

  it('stopping the answering BFF (SIGTERM) mid-answer: the tabs get its final state, and users never see a 5xx', async () => {
    const browser = await signIn();
    const onA = new RoutedTab(await signIn(), servedBy);
    const onB = new RoutedTab(await signIn(), servedBy);
    await onA.connect(addressOf(a));
    await onB.connect(addressOf(b));
    const chat = chatResponseSchema.parse(
      await (await browser.fetch('POST', '/api/chats', { body: { title: 'shutdown' } })).json(),
    ).chat;

    llm.enqueue({ steps: [{ text: 'Half an answer ' }, { hold: 'shutdown' }, { text: 'never sent.' }] });
    const posted = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'Keep going while a BFF stops' },
      headers: { 'Idempotency-Key': 'shutdown-1' },
    });
    expect(posted.status).toBe(201);
    const { answer } = postMessageResponseSchema.parse(await posted.json());
    const [dying, survivor, dyingTab, survivorTab] =
      servedBy(posted) === addressOf(a) ? [a, b, onA, onB] : [b, a, onB, onA];
    expect(servedBy(posted)).toBe(addressOf(dying));
    await llm.reached('shutdown');
    for (const tab of [onA, onB]) await tab.waitFor((e) => e.type === 'message.delta' && e.messageId === answer.id);

    // Requests keep coming while the instance stops and ends the answer it was generating as
    // interrupted (renames of that very chat race that final move), and after.
    const statuses: { status: number; upstream: string | null; during: boolean; body?: string }[] = [];
    let stopped = false;
    let swept = false;
    const stopping = dying.kill('SIGTERM').then(() => {
      stopped = true;
    });
    void survivorTab.waitFor(finalOf(answer.id)).then(() => {
      swept = true;
    });
    const record = async (response: Response, during: boolean) => {
      const body = await response.text();
      statuses.push({
        status: response.status,
        upstream: servedBy(response),
        during,
        ...(response.status >= 500 ? { body } : {}),
      });
    };
    const traffic = (async () => {
      for (let i = 0, after = 0; !stopped || !swept || after < 10; i++) {
        const during = !stopped;
        if (!during) after++;
        await record(await browser.fetch('GET', '/api/chats'), during);
        await record(
          await browser.fetch('PATCH', `/api/chats/${chat.id}`, { body: { title: `shutdown ${i}` } }),
          during,
        );
      }
    })();
    await stopping;
    await traffic;
    expect(statuses.filter((s) => s.during).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
    expect(statuses.filter((s) => !s.during && s.upstream !== addressOf(survivor))).toEqual([]);

    // The tab on the stopped instance lost its stream; its reconnect lands on the survivor.
    await dyingTab.ended();
    await dyingTab.connect();
    expect(dyingTab.upstream).toBe(addressOf(survivor));

    // docs/decisions.md: an answer whose instance dies fails as interrupted, its text kept.
    for (const tab of [dyingTab, survivorTab]) {
      await tab.waitFor(finalOf(answer.id));
      const final = tab.events.findLast((r) => finalOf(answer.id)(r.event))!.event;
      expect(final.type === 'message.updated' ? final.message : null).toMatchObject<Partial<Message>>({
        status: 'interrupted',
        content: 'Half an answer ',
        error: { code: 'agent.interrupted', message: 'The answer was interrupted. Regenerate to try again.' },
      });
    }

    // A new question is answered, by the survivor.
    const next = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
      body: { content: 'And now?' },
      headers: { 'Idempotency-Key': 'shutdown-2' },
    });
    expect(next.status).toBe(201);
    expect(servedBy(next)).toBe(addressOf(survivor));
    const { answer: after } = postMessageResponseSchema.parse(await next.json());
    await survivorTab.waitFor(finalOf(after.id));
    expect(survivorTab.events.findLast((r) => finalOf(after.id)(r.event))!.event).toMatchObject({
      message: { status: 'complete', content: 'Hello from the model.' },
    });
    llm.release('shutdown');
    await dyingTab.close();
    await survivorTab.close();
  });
});
