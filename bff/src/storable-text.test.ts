import { chatResponseSchema, listMessagesResponseSchema } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorableText, toStorableText } from './storable-text.js';
import { Browser } from './testing/browser.js';
import { type ScriptedLlm, startScriptedLlm, textScript } from './testing/scripted-llm.js';
import { createTestApp, type TestApp, testPassword } from './testing/test-app.js';

describe('storable text', () => {
  it.each([
    ['plain text', 'hello', true, 'hello'],
    ['an emoji (a surrogate pair)', 'ok 😀', true, 'ok 😀'],
    ['U+0000', 'a\u0000b', false, 'a\uFFFDb'],
    ['a lone high surrogate', 'a\ud83d', false, 'a\uFFFD'],
    ['a lone low surrogate', '\ude00b', false, '\uFFFDb'],
    ['a reversed pair', '\ude00\ud83d', false, '\uFFFD\uFFFD'],
  ])('%s', (_what, text, storable, repaired) => {
    expect(isStorableText(text)).toBe(storable);
    expect(toStorableText(text)).toBe(repaired);
  });
});

describe('a model answer holding text a database cannot store', () => {
  let llm: ScriptedLlm;
  let t: TestApp;

  beforeAll(async () => {
    llm = await startScriptedLlm(textScript('Hello', ' a\u0000b', ' \ud800 end.'));
    t = await createTestApp({ env: { OPENAI_BASE_URL: llm.url } });
    await t.createUser({ email: 'model-text@example.com' });
  });
  afterAll(async () => {
    await t.close();
    await llm.close();
  });

  it('completes with U+FFFD in place of U+0000 and the unpaired surrogate', async () => {
    const user = new Browser(t);
    await user.signIn('model-text@example.com', testPassword);
    const created = await user.fetch('POST', '/api/chats', { body: { title: 'Model text' } });
    const chatId = chatResponseSchema.parse(await created.json()).chat.id;
    await user.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: 'Say something odd.' },
      headers: { 'Idempotency-Key': 'model-text' },
    });
    await t.runtime.agent.idle();
    const listed = await user.fetch('GET', `/api/chats/${chatId}/messages`);
    const answer = listMessagesResponseSchema.parse(await listed.json()).messages.at(-1);
    expect(answer).toMatchObject({ role: 'assistant', status: 'complete', content: 'Hello a\uFFFDb \uFFFD end.' });
  });
});
