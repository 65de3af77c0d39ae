import { expect, test } from 'vitest';
import { plainPreview, titleFromMessage } from './chat-title.js';

test('a chat is named after the first line of its first message, shortened by characters', () => {
  expect(titleFromMessage('  How do refunds   work?\nMore detail')).toBe('How do refunds work?');
  expect(titleFromMessage('退'.repeat(80))).toBe(`${'退'.repeat(59)}…`);
});

test('a preview drops Markdown punctuation', () => {
  expect(plainPreview('Refunds take **five** days. ```sh refund --order 7')).toBe(
    'Refunds take five days. refund --order 7',
  );
});
