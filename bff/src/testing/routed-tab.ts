import type { ServerEvent } from '@atrium/contracts';
import type { Browser } from './browser.js';
import { SseReader } from './sse-reader.js';

/** One tab's event stream through nginx: records events with their ids and which BFF serves it. */
export class RoutedTab {
  readonly events: { id: string; event: ServerEvent }[] = [];
  replayed: { id: string; event: ServerEvent }[] = [];
  upstream: string | null = null;
  private reader: SseReader | null = null;
  private reading: Promise<void> = Promise.resolve();
  private waiters: { match: (e: ServerEvent) => boolean; resolve: () => void }[] = [];

  constructor(
    readonly browser: Browser,
    /** Which upstream served a response (the balancer says so in a header). */
    private readonly servedBy: (response: Response) => string | null,
  ) {}

  get lastEventId(): string | null {
    return this.reader?.lastEventId ?? null;
  }

  /**
   * Opens the stream (resuming after the last event id, if any) until the balancer routes it to
   * the upstream `on` (an address); a connection that lands elsewhere is closed and tried again
   * (round robin alternates). A refused or wrongly typed stream throws.
   */
  async connect(on?: string, lastEventId = this.lastEventId): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const response = await this.browser.fetch('GET', '/api/events', {
        headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {},
      });
      const type = response.headers.get('content-type') ?? '';
      const encoding = response.headers.get('content-encoding');
      if (response.status !== 200 || !type.startsWith('text/event-stream') || encoding)
        throw new Error(`event stream refused: ${response.status} ${type} ${encoding ?? ''} ${await response.text()}`);
      const reader = new SseReader(response.body!);
      if (on && this.servedBy(response) !== on) {
        await reader.close();
        continue;
      }
      this.upstream = this.servedBy(response);
      if (lastEventId) reader.lastEventId = lastEventId;
      this.reader = reader;
      this.replayed = await reader.untilComment('live');
      for (const r of this.replayed) this.record(r);
      this.reading = (async () => {
        try {
          for (;;) {
            const next = await reader.nextEvent();
            if (!next) break;
            this.record(next);
          }
        } catch {
          // A stopped instance or nginx ends the connection: the end of this stream.
        }
      })();
      return;
    }
    throw new Error(`the balancer never routed the event stream to ${on}`);
  }

  private record(r: { id: string; event: ServerEvent }): void {
    this.events.push(r);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(r.event)) return true;
      w.resolve();
      return false;
    });
  }

  waitFor(match: (e: ServerEvent) => boolean): Promise<void> {
    if (this.events.some((r) => match(r.event))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Resolves when the server side ended the stream. */
  ended(): Promise<void> {
    return this.reading;
  }

  async close(): Promise<void> {
    await this.reader?.close();
    await this.reading;
  }
}
