import { expect, test } from 'vitest';
import { titleFromMessage } from './chat-title.js';

test('a chat is named after the first line of its first message, shortened by characters', () => {
  expect(titleFromMessage('  How do refunds   work?\nMore detail')).toBe('How do refunds work?');
  expect(titleFromMessage('退'.repeat(80))).toBe(`${'退'.repeat(59)}…`);
});
