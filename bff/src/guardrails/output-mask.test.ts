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

  it("keeps the asker's own email but masks others'", () => {
    const result = maskAnswerText('You (Me@Example.com) wrote to bob@example.com.', maskAll, {
      email: 'me@example.com',
    });
    expect(result.text).toBe('You (Me@Example.com) wrote to [redacted: email].');
    expect(result.counts).toEqual({ email: 1 });
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
