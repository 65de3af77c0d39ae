import { type ServerEvent, serverEventSchema } from '@atrium/contracts';

export interface SseFrame {
  id?: string;
  data?: string;
  comment?: string;
  retry?: number;
}

/** Reads an SSE response frame by frame, the way EventSource would; used by tests and benchmarks. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  /** The id of the last event read: what a reconnect sends as Last-Event-ID. */
  lastEventId: string | null = null;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** The next frame, or null when the server closed the stream. */
  async next(): Promise<SseFrame | null> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const frame: SseFrame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else if (line.startsWith('id: ')) frame.id = line.slice(4);
          else if (line.startsWith('data: '))
            frame.data = frame.data === undefined ? line.slice(6) : `${frame.data}\n${line.slice(6)}`;
          else if (line.startsWith('retry: ')) frame.retry = Number(line.slice(7));
        }
        if (frame.id !== undefined) this.lastEventId = frame.id;
        return frame;
      }
      const { done, value } = await this.reader.read();
      if (done) return null;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /**
   * The next `count` frames that are not comments (heartbeats, `: live`), raw: id-only frames
   * included, so a test sees exactly which frames carried an `id:` and which a `data:`.
   */
  async nextFrames(count: number): Promise<SseFrame[]> {
    const read: SseFrame[] = [];
    while (read.length < count) {
      const frame = await this.next();
      if (!frame) throw new Error(`stream ended after ${read.length} of ${count} frames`);
      if (frame.comment === undefined) read.push(frame);
    }
    return read;
  }

  /**
   * The next event (skipping comments, retry hints and id-only frames), parsed with the contract;
   * null at the end. `id` is the client's last event id after it, as EventSource keeps it: a live
   * event (sent with no `id:` line, `live: true`) carries the id of the last logged one before it.
   */
  async nextEvent(): Promise<{ id: string; event: ServerEvent; live: boolean } | null> {
    for (;;) {
      const frame = await this.next();
      if (!frame) return null;
      if (frame.data !== undefined)
        return {
          id: frame.id ?? this.lastEventId ?? '',
          event: serverEventSchema.parse(JSON.parse(frame.data)),
          live: frame.id === undefined,
        };
    }
  }

  /** Reads until the comment (e.g. `live`, once the replay is done), returning the events before it. */
  async untilComment(comment: string): Promise<{ id: string; event: ServerEvent; live: boolean }[]> {
    const events: { id: string; event: ServerEvent; live: boolean }[] = [];
    for (;;) {
      const frame = await this.next();
      if (!frame) throw new Error(`stream ended before ": ${comment}"`);
      if (frame.comment === comment) return events;
      if (frame.data !== undefined)
        events.push({
          id: frame.id ?? this.lastEventId ?? '',
          event: serverEventSchema.parse(JSON.parse(frame.data)),
          live: frame.id === undefined,
        });
    }
  }

  /** Reads events until one matches, returning all read (the match last). */
  async until(match: (event: ServerEvent) => boolean): Promise<{ id: string; event: ServerEvent; live: boolean }[]> {
    const events: { id: string; event: ServerEvent; live: boolean }[] = [];
    for (;;) {
      const next = await this.nextEvent();
      if (!next) throw new Error('stream ended before the awaited event');
      events.push(next);
      if (match(next.event)) return events;
    }
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}
