import { expect, test } from 'vitest';
import { plainPreview } from './chat-preview.js';

test('a preview drops Markdown punctuation', () => {
  expect(plainPreview('Refunds take **five** days. ```sh refund --order 7')).toBe(
    'Refunds take five days. refund --order 7',
  );
});
