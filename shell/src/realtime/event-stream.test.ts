import { serverEventTypes } from '@atrium/contracts/values';
import { describe, expect, it } from 'vitest';
import { readServerEvent } from './event-stream.js';

describe('readServerEvent', () => {
  it('hands on an event of every known type', () => {
    for (const type of serverEventTypes) {
      const event = { type, chatId: 'c1' };
      expect(readServerEvent(event)).toBe(event);
    }
  });

  it('ignores an event of a type this shell does not know, and data that is no event', () => {
    for (const data of [
      { type: 'chat.archived', chatId: 'c1' },
      { chatId: 'c1' },
      { type: 7 },
      [],
      null,
      'resync',
      3,
    ]) {
      expect(readServerEvent(data)).toBeNull();
    }
  });
});
