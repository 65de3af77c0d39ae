import { messageMaxChars, postMessageRequestSchema } from '@atrium/contracts';
import { expect, test } from 'vitest';
import { draftLimit } from './draft-limit.js';

test('the limit is the one the BFF validates with, counted the same way', () => {
  const atLimit = `  ${'a'.repeat(messageMaxChars)}\n`;
  expect(draftLimit(atLimit)).toEqual({ length: messageMaxChars, max: messageMaxChars, showCounter: true, over: 0 });
  expect(postMessageRequestSchema.safeParse({ content: atLimit }).success).toBe(true);

  // An emoji is one character to the BFF, though two to String.length and to a text box's maxLength.
  const emoji = '😀'.repeat(messageMaxChars);
  expect(draftLimit(emoji)).toMatchObject({ length: messageMaxChars, over: 0 });
  expect(postMessageRequestSchema.safeParse({ content: emoji }).success).toBe(true);
  expect(draftLimit(`${emoji}😀`).over).toBe(1);
  expect(postMessageRequestSchema.safeParse({ content: `${emoji}😀` }).success).toBe(false);
});

test('the counter shows only near the limit, and an over-long draft is kept whole and flagged', () => {
  expect(draftLimit('Where is my parcel?')).toMatchObject({ length: 19, showCounter: false, over: 0 });
  expect(draftLimit('x'.repeat(17_999)).showCounter).toBe(false);
  expect(draftLimit('x'.repeat(18_000)).showCounter).toBe(true);
  expect(draftLimit('x'.repeat(25_000))).toMatchObject({ length: 25_000, showCounter: true, over: 5_000 });
});
