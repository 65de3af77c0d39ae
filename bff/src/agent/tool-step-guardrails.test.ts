import { chatResponseSchema, listMessagesResponseSchema, type Message } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { guardrailCounts } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import { type ScriptedLlm, startScriptedLlm, textScript } from '../testing/scripted-llm.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { defineTool } from '../tools/define-tool.js';

/*
 * What a tool step shows is guarded like the answer's text, through the real gate: another
 * person's data in a read tool's result is masked in the step, U+0000 in the model's arguments
 * is refused instead of failing the answer, and a model-supplied argument quoted in Atrium's own
 * words stays text. The scripted OpenAI-compatible server is the only stand-in (the LLM boundary).
 */

const theirTicket = 'carol@example.net paid with 4111 1111 1111 1111, key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

const readNote = defineTool({
  name: 'read_note',
  description: 'Reads the customer note.',
  kind: 'builtin',
  input: z.object({}),
  output: z.object({ text: z.string() }),
  risk: 'read',
  timeoutMs: 1_000,
  roles: ['user'],
  describe: () => 'Read the note',
  summarize: (output) => output.text,
  run: async () => ({ text: theirTicket }),
});
const writeNote = defineTool({
  name: 'write_note',
  description: 'Writes a note.',
  kind: 'builtin',
  input: z.object({ text: z.string().min(1).max(500) }),
  output: z.object({ ok: z.boolean() }),
  risk: 'low',
  timeoutMs: 1_000,
  roles: ['user'],
  transactional: true,
  describe: (input) => `Write the note ${input.text}`,
  summarize: () => 'written',
  run: async () => ({ ok: true }),
});

let llm: ScriptedLlm;
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp({
    env: { OPENAI_BASE_URL: llm.url, ATRIUM_LLM_MAX_RETRIES: '0', ATRIUM_WORKER: 'off' },
    toolSources: [{ tools: async () => [readNote, writeNote] }],
  });
  await t.createUser({ email: 'dana@example.com' });
  browser = new Browser(t);
  await browser.signIn('dana@example.com', testPassword);
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

let keys = 0;
async function ask(content: string): Promise<Message> {
  const chat = chatResponseSchema.parse(await (await browser.fetch('POST', '/api/chats', { body: {} })).json()).chat;
  const posted = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
    body: { content },
    headers: { 'Idempotency-Key': `guard-${keys++}` },
  });
  expect(posted.status).toBe(201);
  await t.runtime.agent.idle();
  const list = listMessagesResponseSchema.parse(
    await (await browser.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
  );
  return list.messages.at(-1)!;
}

const outputCounts = async () =>
  Object.fromEntries(
    (await t.db.select().from(guardrailCounts).where(eq(guardrailCounts.layer, 'output'))).map((c) => [
      c.kind,
      c.count,
    ]),
  );

describe('a tool step, guarded like the answer', () => {
  it("masks another person's data in a read tool's result, counting each once however many moves carry the step", async () => {
    llm.enqueue(
      { steps: [{ toolCall: { name: 'read_note', arguments: '{}' } }] },
      { steps: [{ toolCall: { id: 'call_2', name: 'read_note', arguments: '{}' } }] },
      textScript('I read the note twice.'),
    );
    const answer = await ask('What does the note say?');
    expect(answer.status).toBe('complete');
    expect(answer.steps.map((s) => s.status)).toEqual(['done', 'done']);
    const shown = JSON.stringify(answer.steps);
    for (const secret of ['carol@example.net', '4111 1111 1111 1111', 'sk-proj-']) expect(shown).not.toContain(secret);
    expect(answer.steps[0]!.summary).toContain('[redacted: email]');
    // Two steps each held an email, a card number and a key: two of each, not one per move.
    expect(await outputCounts()).toMatchObject({ email: 2, card_number: 2, api_key: 2 });
  });

  it('refuses arguments holding U+0000 as a step, and the answer goes on', async () => {
    llm.enqueue(
      { steps: [{ toolCall: { name: 'write_note', arguments: '{"text":"a\\u0000b"}' } }] },
      textScript('That did not work.'),
    );
    const answer = await ask('Write a note.');
    expect(answer.status).toBe('complete');
    expect(answer.steps).toMatchObject([
      { tool: 'write_note', status: 'refused', code: 'tool.invalid_arguments', arguments: { text: 'a\uFFFDb' } },
    ]);
    expect(answer.steps[0]!.summary).toContain('cannot be stored');
    expect(answer.content).toContain('That did not work.');
  });

  it("quotes a model-supplied argument in Atrium's own words as text, never as a link", async () => {
    llm.enqueue({
      steps: [
        {
          toolCall: {
            name: 'write_note',
            arguments: JSON.stringify({ text: '[verify your card](https://evil.example/login) **now**' }),
          },
        },
      ],
    });
    const answer = await ask('Write a note for me.');
    expect(answer.status).toBe('awaiting_approval');
    expect(answer.content).toContain('\\[verify your card\\](https://evil.example/login) \\*\\*now\\*\\*');
    const [pending] = await t.db
      .select()
      .from(guardrailCounts)
      .where(and(eq(guardrailCounts.layer, 'tool'), eq(guardrailCounts.kind, 'tool.invalid_arguments')));
    expect(pending?.count).toBe(1);
  });
});
