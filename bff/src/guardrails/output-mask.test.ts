import { describe, expect, it } from 'vitest';
import { maskAll, maskAnswerText, maskText, passesLuhn } from './output-mask.js';

const openAiKey = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const jwt =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const pem = `-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF
-----END RSA PRIVATE KEY-----`;

describe('maskText', () => {
  it.each([
    ['an OpenAI key', `use ${openAiKey} here`, 'use [redacted: api_key] here'],
    ['an Anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123', '[redacted: api_key]'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', '[redacted: api_key]'],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijkl', '[redacted: api_key]'],
    ['an AWS access key id', 'key AKIAIOSFODNN7EXAMPLE.', 'key [redacted: api_key].'],
    ['a Slack token', 'xoxb-123456789012-abcdefghij', '[redacted: api_key]'],
    ['a Stripe key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', '[redacted: api_key]'],
    ['an Atrium access token', `atr_${'A'.repeat(43)}`, '[redacted: api_key]'],
    ['a JWT', `token=${jwt}`, 'token=[redacted: jwt]'],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnop.qrstuv', 'Authorization: [redacted: bearer_token]'],
    ['a PEM private key', `key:\n${pem}\nend`, 'key:\n[redacted: private_key]\nend'],
    ['an unterminated PEM key', '-----BEGIN PRIVATE KEY-----\nMIIEow', '[redacted: private_key]'],
    ['an email', 'write to jane.doe@example.org.', 'write to [redacted: email].'],
    ['a card number with spaces', 'card 4111 1111 1111 1111 ok', 'card [redacted: card_number] ok'],
    ['a card number with dashes', 'card 5500-0000-0000-0004', 'card [redacted: card_number]'],
    ['an Amex number (15 digits)', '378282246310005', '[redacted: card_number]'],
    ['an international phone', 'call +44 20 7946 0958 now', 'call [redacted: phone] now'],
    ['a North American phone', 'call (555) 123-4567', 'call [redacted: phone]'],
    ['a Chinese mobile number', '手机 13812345678', '手机 [redacted: phone]'],
  ])('masks %s', (_label, input, expected) => {
    expect(maskText(input, maskAll).text).toBe(expected);
  });

  it.each([
    ['a number that fails Luhn', 'order 4111 1111 1111 1112'],
    ['a date and an amount', 'On 2024-05-01 we refunded 1500 EUR.'],
    ['a short number', 'room 1234, ext 55'],
    ['plain prose', 'Skip the sk- prefix; it is not a key.'],
    ['a publishable Stripe key', 'pk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ])('leaves %s alone', (_label, input) => {
    expect(maskText(input, maskAll)).toEqual({ text: input, counts: {} });
  });

  // Hostile review (issue 10): a number next to a card was joined onto it (Luhn then failed and
  // the card leaked) or swallowed by it.
  it.each([
    ['qty 1 4111111111111111', 'qty 1 [redacted: card_number]'],
    ['card2 4242424242424242', 'card2 [redacted: card_number]'],
    ['ref 12 5555555555554444', 'ref 12 [redacted: card_number]'],
    ['4111111111111111 3 items', '[redacted: card_number] 3 items'],
    ['qty 1 4111 1111 1111 1111 x 2', 'qty 1 [redacted: card_number] x 2'],
    ['ref 12-4111-1111-1111-1111-7', 'ref 12-[redacted: card_number]-7'],
    ['1234 4000056655665556 5678', '1234 [redacted: card_number] 5678'],
    ['Amex 3782 822463 10005 2 pcs', 'Amex [redacted: card_number] 2 pcs'],
    ['19 digits 6212 3456 7890 1234 007 ok', '19 digits [redacted: card_number] ok'],
    ['contiguous 19 6212345678901234007 9', 'contiguous 19 [redacted: card_number] 9'],
    ['old Visa 4222222222222 x1', 'old Visa [redacted: card_number] x1'],
    ['two cards 4111111111111111 5555555555554444', 'two cards [redacted: card_number] [redacted: card_number]'],
    ['call +44 20 7946 0958 re 4111111111111111', 'call [redacted: phone] re [redacted: card_number]'],
    ['手机 13812345678 4111 1111 1111 1111', '手机 [redacted: phone] [redacted: card_number]'],
  ])('masks a card next to other numbers: %s', (input, expected) => {
    const result = maskText(input, maskAll);
    expect(result.text).toBe(expected);
    expect(result.counts.card_number).toBeGreaterThan(0);
  });

  it.each([
    ['an order number that fails Luhn, next to numbers', 'order 1 4111 1111 1111 1112 qty 3'],
    ['a contiguous order number that fails Luhn', 'qty 2 4111111111111112 3'],
    ['a 13-digit millisecond timestamp', 'at 1732968000000 (3 tries)'],
    ['single digits in a row', '1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6'],
    ['a run of more than 19 digits', 'id 41111111111111111111111'],
  ])('leaves %s alone', (_label, input) => {
    expect(maskText(input, maskAll)).toEqual({ text: input, counts: {} });
  });

  it("keeps the asker's own email but masks others'", () => {
    const result = maskAnswerText('You (Me@Example.com) wrote to bob@example.com.', maskAll, {
      email: 'me@example.com',
    });
    expect(result.text).toBe('You (Me@Example.com) wrote to [redacted: email].');
    expect(result.counts).toEqual({ email: 1 });
  });

  it('keeps an email or phone number the answer’s passages quote (the asker may read them), never a secret or card', () => {
    const passage =
      'Write to SLA@lumen.example or call +1 415 555 0100. Test card 4242 4242 4242 4242, key sk-proj-abcdefghijklmnopqrstuvwxyz012345.';
    const asker = { email: null, known: [passage] };
    const answer =
      'Claims go to sla@lumen.example (+1 415 555 0100); not to carol@example.net. Card 4242 4242 4242 4242, key sk-proj-abcdefghijklmnopqrstuvwxyz012345.';
    expect(maskText(answer, maskAll, asker).text).toBe(
      'Claims go to sla@lumen.example (+1 415 555 0100); not to [redacted: email]. Card [redacted: card_number], key [redacted: api_key].',
    );
  });

  it('masks only the kinds the policy enables', () => {
    const text = `${openAiKey} bob@example.com`;
    expect(maskText(text, { kinds: ['email'] }).text).toBe(`${openAiKey} [redacted: email]`);
    expect(maskText(text, { kinds: [] }).text).toBe(text);
  });

  it('counts each kind', () => {
    const { counts } = maskText(`${openAiKey} ${jwt} a@b.io c@d.io 4111111111111111`, maskAll);
    expect(counts).toEqual({ api_key: 1, jwt: 1, email: 2, card_number: 1 });
  });

  it('checks Luhn', () => {
    expect(passesLuhn('4111 1111 1111 1111')).toBe(true);
    expect(passesLuhn('4111 1111 1111 1112')).toBe(false);
  });
});
