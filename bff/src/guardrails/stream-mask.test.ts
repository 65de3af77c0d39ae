import { describe, expect, it } from 'vitest';
import { maskAll, maskText } from './output-mask.js';
import { createStreamMasker } from './stream-mask.js';

const secrets = [
  'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV',
  'Bearer abcdefghijklmnopqrstuvwxyz',
  '4111 1111 1111 1111',
  '+44 20 7946 0958',
  'jane.doe@example.org',
  '-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END PRIVATE KEY-----',
];

/** Every way to cut `text` into deltas of `size` characters (all offsets). */
function splits(text: string, size: number): string[][] {
  const out: string[][] = [];
  for (let offset = 1; offset <= size; offset++) {
    const parts = [text.slice(0, offset)];
    for (let i = offset; i < text.length; i += size) parts.push(text.slice(i, i + size));
    out.push(parts);
  }
  return out;
}

function run(parts: string[]) {
  const masker = createStreamMasker(maskAll, { email: null });
  const emitted: string[] = [];
  for (const part of parts) emitted.push(masker.push(part));
  emitted.push(masker.end());
  return { emitted, text: emitted.join(''), counts: masker.counts() };
}

describe('createStreamMasker', () => {
  it.each(secrets)('never emits %s in clear, however the deltas split it', (secret) => {
    const text = `Here it is: ${secret} and more text follows.`;
    for (const size of [1, 2, 3, 5, 8, 13]) {
      for (const parts of splits(text, size)) {
        const { emitted, text: out } = run(parts);
        expect(out).toBe(maskText(text, maskAll).text);
        // No prefix of what was emitted holds more than 5 characters of the secret's body.
        const body = secret.replace(/^Bearer /, '').replace(/\s/g, '');
        const so = emitted.join('').replace(/\s/g, '');
        for (let i = 0; i + 6 <= body.length; i++) expect(so).not.toContain(body.slice(i, i + 6));
      }
    }
  });

  // Hostile review (issue 10): cards next to other numbers, streamed split at every offset.
  it.each([
    ['qty 1 4111111111111111', '4111111111111111'],
    ['card2 4242424242424242', '4242424242424242'],
    ['ref 12 5555555555554444', '5555555555554444'],
    ['4111111111111111 3 items', '4111111111111111'],
    ['qty 1 4111 1111 1111 1111 x 2', '4111111111111111'],
    ['Amex 3782 822463 10005 2 pcs', '378282246310005'],
  ])('masks %s however the deltas split it, keeping the neighbouring numbers', (text, card) => {
    const expected = maskText(text, maskAll).text;
    expect(expected).not.toContain(card.slice(0, 6));
    for (const size of [1, 2, 3, 4, 5, 7, 11, text.length]) {
      for (const parts of splits(text, size)) {
        const { text: out, counts } = run(parts);
        expect(out).toBe(expected);
        expect(counts).toEqual({ card_number: 1 });
        for (let i = 0; i + 6 <= card.length; i++) expect(out.replace(/[ -]/g, '')).not.toContain(card.slice(i, i + 6));
      }
    }
  });

  it('does not hold normal text back more than its last word', () => {
    const masker = createStreamMasker(maskAll);
    expect(masker.push('Hello there, ')).toBe('Hello there, ');
    expect(masker.push('how are')).toBe('how ');
    expect(masker.push(' you today?')).toBe('are you ');
    expect(masker.end()).toBe('today?');
  });

  it('holds digits that may become a card or phone number, and releases them after', () => {
    const masker = createStreamMasker(maskAll);
    expect(masker.push('Pay 4111 1111 ')).toBe('Pay ');
    expect(masker.push('1111 1111 thanks')).toBe('[redacted: card_number] ');
    expect(masker.end()).toBe('thanks');
    expect(masker.counts()).toEqual({ card_number: 1 });
  });

  it("keeps the asker's own email", () => {
    const masker = createStreamMasker(maskAll, { email: 'me@example.com' });
    const out = masker.push('mail me@exa') + masker.push('mple.com or bob@example.com.') + masker.end();
    expect(out).toBe('mail me@example.com or [redacted: email].');
  });

  it('lets an endless unbroken run through, masked, instead of holding it all', () => {
    const masker = createStreamMasker(maskAll);
    const emitted = masker.push('x'.repeat(10_000));
    expect(emitted.length).toBe(10_000 - 256);
    expect(masker.end()).toBe('x'.repeat(256));
  });
});
