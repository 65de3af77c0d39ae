import { ServerResponse } from 'node:http';
import { runningMessageStatuses, type ServerEvent } from '@atrium/contracts';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { liveSessionIds, type SessionPolicy } from '../auth/sessions.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import type { Logger } from '../logger.js';
import { type Bus, type BusMessage, type SessionEndReason, userChannel } from './bus.js';
import {
  type DeltaBatchEvent,
  expandDeltaBatch,
  type LogHeads,
  readBroadcastEvents,
  readHeads,
  readUserEvents,
  type StoredEvent,
} from './event-log.js';

export interface SseHubOptions {
  db: Database;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  sessionPolicy: SessionPolicy;
  heartbeatMs?: number;
  sessionCheckMs?: number;
}

export interface StreamRequest {
  userId: string;
  sessionId: string;
  /** Null: a fresh connection, which starts at the current heads (no history). */
  cursor: LogHeads | null;
}

export interface SseHub {
  stream(c: Context, request: StreamRequest): Response;
  /** Tells every instance that some of the user's sessions ended; their streams re-check and close. */
  sessionsChanged(userId: string, reason: SessionEndReason): Promise<void>;
  /** Closes streams whose session timed out (also runs on a timer). */
  checkSessions(): Promise<void>;
  connectionCount(): number;
  close(): Promise<void>;
}

const replayPage = 500;
/**
 * The most user-log events a reconnect replays (two pages). A client further behind is told to
 * `resync` (reload what it shows) and starts at the head: a reload is one page read, where a
 * replay of thousands of events (a long answer is ~20 deltas a second) costs the server reads and
 * writes per event — and a forged `Last-Event-ID: 0.0` could make it replay a whole day's log
 * (issue 12 hostile review). The broadcast log (release changes, small) is always replayed.
 */
export const maxReplayEvents = 2 * replayPage;
const retryHintMs = 3_000;
/**
 * The running answers a connection tracks live deltas for (`Connection.sentLive`): one per chat
 * generating at once is the norm; past this many, the oldest is forgotten.
 */
export const maxLiveRuns = 64;

/**
 * The `data:` line of an event, serialized once per event object: a broadcast hands the same
 * object to every connection (the bus delivers one message to the hub), so 2,000 streams share
 * one `JSON.stringify` instead of making 2,000 (issue 12). Weak: it lives as long as the event.
 */
const serialized = new WeakMap<ServerEvent, string>();

export function eventData(event: ServerEvent): string {
  let text = serialized.get(event);
  if (text === undefined) {
    text = `data: ${JSON.stringify(event)}\n\n`;
    serialized.set(event, text);
  }
  return text;
}

/**
 * The `message.delta` events of a stored batch, expanded once per batch object (the bus hands
 * the same object to every connection of an instance), so their `data:` lines are shared too.
 */
const expanded = new WeakMap<DeltaBatchEvent, ServerEvent[]>();

function deltasOf(batch: DeltaBatchEvent): ServerEvent[] {
  let events = expanded.get(batch);
  if (events === undefined) {
    events = expandDeltaBatch(batch);
    expanded.set(batch, events);
  }
  return events;
}

/**
 * The headers of an event stream (`streamSSE`'s, hono/streaming), plus no proxy buffering. Not
 * `Transfer-Encoding` or `Connection`: node's response picks the framing the client speaks
 * (chunked and keep-alive for HTTP/1.1; for HTTP/1.0, which has no chunked encoding, the body
 * runs to the connection's close, RFC 9112 §6.3). Set by hand, HTTP/1.0 got chunk-size lines
 * inside its event text (hostile review).
 */
const streamHeaders = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
} as const;

/** Marks a response that the handler writes itself (@hono/node-server then leaves the socket alone). */
const alreadySent = [...RESPONSE_ALREADY_SENT.headers.keys()][0]!;

/**
 * The runtime's own Response, taken when this module loads (before `serve()` installs
 * @hono/node-server's lightweight one): node-server 2.1.8 honours the already-sent marker only on
 * a response that is not its lightweight kind (that one goes through its cache path and is
 * written and ended). sse.test.ts checks it over a served app.
 */
const NativeResponse = globalThis.Response;

const written = Promise.resolve();

/**
 * Writes to node's response directly: resolves at once while the socket takes more, else on
 * `drain` (or `close`), so a slow client holds up its own queue and no one else's.
 */
function writerOf(res: ServerResponse): (text: string) => Promise<void> {
  return (text) => {
    if (res.destroyed || res.writableEnded) return written;
    if (res.write(text)) return written;
    return new Promise((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };
}

export const formatCursor = (heads: LogHeads) => `${heads.user}.${heads.broadcast}`;

export function parseCursor(text: string): LogHeads {
  const [user = '0', broadcast = '0'] = text.split('.');
  return { user: Number(user), broadcast: Number(broadcast) };
}

/**
 * A total order for merging the two logs: by time, the user's log first at the same time, then by
 * seq. Events of one transaction share their time, so without the seq a replay could reorder them
 * and then drop the earlier ones as already delivered.
 */
const replayOrder = (a: StoredEvent, b: StoredEvent) =>
  a.at.getTime() - b.at.getTime() || (a.log === b.log ? a.seq - b.seq : a.log === 'user' ? -1 : 1);

const isRunningStatus = (status: string) => (runningMessageStatuses as readonly string[]).includes(status);

/**
 * One stream per tab. Each connection remembers the last seq it delivered from each log and
 * drops anything at or below it, and fills a gap from the database before delivering past it:
 * replay and live events may overlap or race, and each event is still written exactly once.
 *
 * Live events (`live-event`: a streamed answer's deltas, shown before they are stored) are written
 * at once with no `id:` line, so the client's Last-Event-ID stays the last logged event. When the
 * logged copy of a delta this connection already sent live arrives (from the bus, a gap read or
 * the replay), only `id: <cursor>` is written: per the SSE spec that moves the client's last event
 * id on without dispatching an event, so the text is not sent twice (issue 12).
 */
class Connection {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  last: LogHeads = { user: 0, broadcast: 0 };
  /**
   * Per running answer (message id): the run of consecutive delta seqs sent live, first..last.
   * Only a logged delta inside the run is sent id-only: a live delta lost on the way (a Redis
   * hiccup) starts a new run, so its logged copy still goes out in full. An entry is dropped when
   * the answer's `message.updated` says it stopped running (its deltas are all stored before that)
   * or its chat is deleted, and at most `maxLiveRuns` are kept (the oldest goes first: an answer
   * whose end this stream never saw, e.g. a live delta that came after its chat's deletion). A
   * dropped entry costs only text sent twice, which the client ignores.
   */
  private readonly sentLive = new Map<string, { chatId: string; first: number; last: number }>();

  constructor(
    readonly userId: string,
    readonly sessionId: string,
    private readonly db: Database,
    private readonly write: (text: string) => Promise<void>,
    private readonly finish: () => void,
    private readonly logger: Logger,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await task();
      } catch (error) {
        this.logger.warn('event stream failed', { userId: this.userId, error: (error as Error).message });
        this.end();
      }
    });
  }

  async start(cursor: LogHeads | null): Promise<void> {
    const heads = await readHeads(this.db, this.userId);
    // A cursor from the future (another database, a reset) would silence the stream forever: clamp it.
    this.last = cursor
      ? { user: Math.min(cursor.user, heads.user), broadcast: Math.min(cursor.broadcast, heads.broadcast) }
      : heads;
    // The id names where this stream starts, so the browser's own reconnect resumes from here even
    // before any event came; without it, a stream with no events yet would restart at the head.
    await this.write(`retry: ${retryHintMs}\nid: ${formatCursor(this.last)}\n\n`);
    if (heads.user - this.last.user > maxReplayEvents) await this.resync(heads.user);
    await this.replay();
    if (!this.closed) await this.write(': live\n\n');
  }

  /** Pages through both logs after `last`; stops as soon as the client is gone (nothing reads it). */
  private async replay(): Promise<void> {
    while (!this.closed) {
      const [mine, everyone] = await Promise.all([
        readUserEvents(this.db, this.userId, this.last.user, { limit: replayPage }),
        readBroadcastEvents(this.db, this.last.broadcast, { limit: replayPage }),
      ]);
      if (mine.length === 0 && everyone.length === 0) return;
      if (mine.length > 0 && mine[0]!.seq > this.last.user + 1) {
        await this.resync(mine[0]!.seq - 1);
        continue;
      }
      // A full page may continue past its last event: only merge up to the earliest such edge.
      const edges = [mine, everyone].filter((page) => page.length === replayPage).map((page) => page.at(-1)!.at);
      const cutoff = edges.length > 0 ? Math.min(...edges.map((d) => d.getTime())) : Number.POSITIVE_INFINITY;
      const merged = [...mine, ...everyone].filter((e) => e.at.getTime() <= cutoff).sort(replayOrder);
      for (const e of merged) {
        if (this.closed) return;
        await this.emit(e);
      }
    }
  }

  async deliver(message: BusMessage): Promise<void> {
    if (message.kind === 'user-event') {
      if (message.seq <= this.last.user) return;
      if (message.seq - 1 - this.last.user > maxReplayEvents) {
        // Further behind than a reconnect may replay (a long bus outage): the same rule as start().
        await this.resync(message.seq - 1);
      } else if (message.seq > this.last.user + 1) {
        const missing = await readUserEvents(this.db, this.userId, this.last.user, {
          upTo: message.seq - 1,
          limit: message.seq - 1 - this.last.user,
        });
        const oldestKept = missing[0]?.seq ?? message.seq;
        if (oldestKept > this.last.user + 1) await this.resync(oldestKept - 1);
        for (const e of missing) await this.emit(e);
      }
      await this.emit({ log: 'user', userId: this.userId, seq: message.seq, at: new Date(), event: message.event });
    } else if (message.kind === 'broadcast-event') {
      if (message.seq <= this.last.broadcast) return;
      if (message.seq > this.last.broadcast + 1) {
        const missing = await readBroadcastEvents(this.db, this.last.broadcast, {
          upTo: message.seq - 1,
          limit: message.seq - 1 - this.last.broadcast,
        });
        for (const e of missing) await this.emit(e);
      }
      await this.emit({ log: 'broadcast', seq: message.seq, at: new Date(), event: message.event });
    } else if (message.kind === 'live-event') {
      await this.writeLive(message.event);
    }
  }

  /** A live event: written as it is, with no id; a delta extends (or restarts) its answer's live run. */
  private writeLive(event: ServerEvent): Promise<void> {
    if (event.type === 'message.delta') {
      const run = this.sentLive.get(event.messageId);
      if (run && event.seq === run.last + 1) run.last = event.seq;
      else if (!run || event.seq > run.last) {
        this.sentLive.delete(event.messageId);
        this.sentLive.set(event.messageId, { chatId: event.chatId, first: event.seq, last: event.seq });
        if (this.sentLive.size > maxLiveRuns) this.sentLive.delete(this.sentLive.keys().next().value!);
      }
    }
    return this.write(eventData(event));
  }

  private async emit(stored: StoredEvent): Promise<void> {
    if (stored.log === 'user') {
      if (stored.seq <= this.last.user) return;
      this.last = { ...this.last, user: stored.seq };
    } else {
      if (stored.seq <= this.last.broadcast) return;
      this.last = { ...this.last, broadcast: stored.seq };
    }
    const event = stored.event;
    if (event.type === 'message.deltas') {
      await this.writeDeltas(event);
      return;
    }
    if (event.type === 'message.delta') {
      const run = this.sentLive.get(event.messageId);
      if (run && event.seq >= run.first && event.seq <= run.last) {
        await this.write(`id: ${formatCursor(this.last)}\n\n`);
        return;
      }
    } else if (event.type === 'message.updated' && !isRunningStatus(event.message.status)) {
      this.sentLive.delete(event.message.id);
    } else if (event.type === 'chat.deleted') {
      for (const [answerId, run] of this.sentLive) if (run.chatId === event.chatId) this.sentLive.delete(answerId);
    }
    await this.writeEvent(event);
  }

  /**
   * A stored batch as the `message.delta` events clients know, less those this connection sent
   * live. Only the last frame carries the id: the client's Last-Event-ID moves past the batch's
   * row once all of it is written, so a stream cut halfway resumes with the whole batch (chat-core
   * drops a delta seq it already has). Nothing left to send: the id alone.
   */
  private async writeDeltas(batch: DeltaBatchEvent): Promise<void> {
    const run = this.sentLive.get(batch.messageId);
    const unsent = deltasOf(batch).filter(
      (delta) => !(run && delta.type === 'message.delta' && delta.seq >= run.first && delta.seq <= run.last),
    );
    if (unsent.length === 0) {
      await this.write(`id: ${formatCursor(this.last)}\n\n`);
      return;
    }
    for (const delta of unsent.slice(0, -1)) await this.write(eventData(delta));
    await this.writeEvent(unsent.at(-1)!);
  }

  private writeEvent(event: ServerEvent): Promise<void> {
    return this.write(`id: ${formatCursor(this.last)}\n${eventData(event)}`);
  }

  /**
   * The user's log no longer holds the events up to `trimmedUpTo` that this client has not seen
   * (retention): tell it to refetch, and go on from the oldest event still kept.
   */
  private async resync(trimmedUpTo: number): Promise<void> {
    this.last = { ...this.last, user: trimmedUpTo };
    await this.writeEvent({ type: 'resync' });
  }

  /** `session.ended` is a signal, not a log entry: it carries the current cursor and closes the stream. */
  async endSession(reason: SessionEndReason): Promise<void> {
    if (this.closed) return;
    await this.writeEvent({ type: 'session.ended', reason });
    this.end();
  }

  heartbeat(): void {
    this.enqueue(() => this.write(': ping\n\n'));
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.finish();
  }
}

interface UserStreams {
  connections: Set<Connection>;
  subscribed: Promise<() => void>;
}

export function createSseHub(options: SseHubOptions): SseHub {
  const { db, bus, clock, logger, sessionPolicy } = options;
  const users = new Map<string, UserStreams>();
  let broadcastSubscription: Promise<() => void> | null = null;

  const connectionsOf = (userId: string) => users.get(userId)?.connections ?? new Set<Connection>();
  const all = () => [...users.values()].flatMap((u) => [...u.connections]);

  const onUserMessage = (userId: string) => (message: BusMessage) => {
    for (const conn of connectionsOf(userId)) {
      if (message.kind === 'sessions-changed') conn.enqueue(() => recheck([conn], message.reason));
      else conn.enqueue(() => conn.deliver(message));
    }
  };

  async function recheck(connections: Connection[], reason: SessionEndReason): Promise<void> {
    const live = await liveSessionIds(
      db,
      connections.map((c) => c.sessionId),
      clock.now(),
      sessionPolicy,
    );
    for (const conn of connections) if (!live.has(conn.sessionId)) await conn.endSession(reason);
  }

  async function attach(conn: Connection): Promise<void> {
    broadcastSubscription ??= bus.subscribe('broadcast', (message) => {
      for (const c of all()) c.enqueue(() => c.deliver(message));
    });
    let entry = users.get(conn.userId);
    if (!entry) {
      entry = {
        connections: new Set(),
        subscribed: bus.subscribe(userChannel(conn.userId), onUserMessage(conn.userId)),
      };
      users.set(conn.userId, entry);
    }
    entry.connections.add(conn);
    // Live delivery must be on before the replay reads the log, or an event committed in between is missed.
    await Promise.all([entry.subscribed, broadcastSubscription]);
  }

  function detach(conn: Connection): void {
    const entry = users.get(conn.userId);
    if (!entry?.connections.delete(conn) || entry.connections.size > 0) return;
    users.delete(conn.userId);
    entry.subscribed.then((unsubscribe) => unsubscribe()).catch(() => undefined);
  }

  const timers = [
    setInterval(() => {
      for (const conn of all()) conn.heartbeat();
    }, options.heartbeatMs ?? 15_000),
    setInterval(() => {
      hub.checkSessions().catch((error: Error) => logger.warn('session check failed', { error: error.message }));
    }, options.sessionCheckMs ?? 30_000),
  ];
  for (const timer of timers) timer.unref();

  const open = (request: StreamRequest, write: (text: string) => Promise<void>, finish: () => void) => {
    const conn = new Connection(
      request.userId,
      request.sessionId,
      db,
      write,
      () => {
        detach(conn);
        finish();
      },
      logger,
    );
    return conn;
  };
  const begin = (conn: Connection, cursor: LogHeads | null) =>
    conn.enqueue(async () => {
      await attach(conn);
      await conn.start(cursor);
    });

  /** Through `streamSSE`: a TransformStream per connection, read by the server into the socket. */
  function streamWeb(c: Context, request: StreamRequest): Response {
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      await new Promise<void>((resolve) => {
        const conn = open(
          request,
          async (text) => {
            await stream.write(text);
          },
          resolve,
        );
        stream.onAbort(() => conn.end());
        begin(conn, request.cursor);
      });
    });
  }

  /**
   * A connection writing to `res`, ended when `res` closes. Its own function so that the closures
   * that live as long as the stream (the writer, the finish, the close listener) share a scope
   * without the request's Hono `Context`: V8 keeps one context object per scope for all the
   * closures made in it, so a listener made beside a closure that reads `c` would keep `c` (its
   * request, headers and variables) for the life of the stream (issue 12: memory per connection).
   */
  function openDirect(request: StreamRequest, res: ServerResponse): Connection {
    const conn = open(request, writerOf(res), () => {
      if (!res.writableEnded) res.end();
    });
    res.on('close', () => conn.end());
    return conn;
  }

  /**
   * Straight into node's `ServerResponse` (@hono/node-server's "direct response": the handler
   * answers with RESPONSE_ALREADY_SENT's marker and the server writes nothing). The head goes out
   * once the middleware chain has unwound (`setImmediate`: every middleware here does its work
   * after `next()` synchronously), with whatever headers it added (request id, security headers).
   * If the chain replaced the answer (an error after the handler), the stream is dropped.
   */
  function streamDirect(c: Context, request: StreamRequest, res: ServerResponse): Response {
    const conn = openDirect(request, res);
    setImmediate(() => {
      const answer = c.res;
      if (conn.isClosed || res.headersSent || !answer.headers.has(alreadySent)) {
        conn.end();
        return;
      }
      // A raw Response does not carry what middleware set with c.header() before the handler
      // (Hono keeps those for c.body()/c.newResponse()): on this route that is the request id.
      const headers: Record<string, string | string[]> = {};
      const requestId = c.get('requestId') as string | undefined;
      if (requestId) headers['x-request-id'] = requestId;
      answer.headers.forEach((value, name) => {
        if (name !== alreadySent && name !== 'set-cookie') headers[name] = value;
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length > 0) headers['set-cookie'] = cookies;
      res.writeHead(answer.status, headers);
      res.flushHeaders();
      begin(conn, request.cursor);
    });
    return new NativeResponse(null, { status: 200, headers: { ...streamHeaders, [alreadySent]: 'true' } });
  }

  const hub: SseHub = {
    stream(c, request) {
      const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
      // HEAD keeps the web-stream path (Hono answers it with the headers alone); so do
      // `app.request` calls, which have no node response, and HTTP/2.
      if (outgoing instanceof ServerResponse && c.req.method === 'GET') return streamDirect(c, request, outgoing);
      return streamWeb(c, request);
    },
    async sessionsChanged(userId, reason) {
      await bus.publish(userChannel(userId), { kind: 'sessions-changed', userId, reason });
    },
    async checkSessions() {
      const open = all().filter((conn) => !conn.isClosed);
      if (open.length === 0) return;
      const live = await liveSessionIds(
        db,
        [...new Set(open.map((conn) => conn.sessionId))],
        clock.now(),
        sessionPolicy,
      );
      for (const conn of open) if (!live.has(conn.sessionId)) conn.enqueue(() => conn.endSession('expired'));
    },
    connectionCount: () => all().length,
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const conn of all()) conn.end();
      if (broadcastSubscription) (await broadcastSubscription)();
    },
  };
  return hub;
}
