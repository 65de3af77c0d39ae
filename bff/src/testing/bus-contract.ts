import { describe, expect, it } from 'vitest';
import type { Bus, BusMessage } from '../realtime/bus.js';

/** The behaviour every bus must have; run once per implementation (in-process here, Redis in the multi-instance suite). */
export function describeBusContract(name: string, open: () => Promise<{ a: Bus; b: Bus; close(): Promise<void> }>) {
  describe(`${name} bus`, () => {
    it('delivers a message published on one bus to subscribers of that channel on another, in order', async () => {
      const { a, b, close } = await open();
      const channel = `user:${crypto.randomUUID()}` as const;
      const got: BusMessage[] = [];
      const done = new Promise<void>((resolve) => {
        b.subscribe(channel, (m) => {
          got.push(m);
          if (got.length === 3) resolve();
        });
      });
      await b.subscribe(channel, () => undefined);
      const others: BusMessage[] = [];
      await b.subscribe(`user:${crypto.randomUUID()}`, (m) => others.push(m));
      for (let seq = 1; seq <= 3; seq++) {
        await a.publish(channel, {
          kind: 'user-event',
          userId: 'u',
          seq,
          event: { type: 'chat.deleted', chatId: 'c' },
        });
      }
      await done;
      expect(got.map((m) => m.kind === 'user-event' && m.seq)).toEqual([1, 2, 3]);
      expect(others).toEqual([]);
      await close();
    });

    it('carries a live event (no seq) on a user channel like a logged one', async () => {
      const { a, b, close } = await open();
      const channel = `user:${crypto.randomUUID()}` as const;
      const live: BusMessage = {
        kind: 'live-event',
        userId: 'u',
        event: { type: 'message.delta', chatId: 'c', messageId: 'm', seq: 0, text: 'Hello' },
      };
      let hear: (m: BusMessage) => void = () => undefined;
      const heard = new Promise<BusMessage>((resolve) => {
        hear = resolve;
      });
      await b.subscribe(channel, (m) => hear(m));
      await a.publish(channel, live);
      expect(await heard).toEqual(live);
      await close();
    });

    it('stops delivering after unsubscribe', async () => {
      const { a, b, close } = await open();
      const got: BusMessage[] = [];
      const unsubscribe = await b.subscribe('control', (m) => got.push(m));
      const marker = new Promise<void>((resolve) => {
        b.subscribe('control', (m) => m.kind === 'stop-answer' && m.answerId === 'second' && resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      unsubscribe();
      await a.publish('control', { kind: 'stop-answer', answerId: 'second' });
      await marker;
      expect(got).toEqual([]);
      await close();
    });
  });
}
