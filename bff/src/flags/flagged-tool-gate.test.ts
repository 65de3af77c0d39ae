import { chatResponseSchema, listMessagesResponseSchema, type Message } from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { UserRow } from '../db/schema/index.js';
import { createLogger } from '../logger.js';
import { Browser } from '../testing/browser.js';
import { type ScriptedLlm, startScriptedLlm, textScript } from '../testing/scripted-llm.js';
import { createSmallToolGate } from '../testing/small-tool-gate.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { defineTool } from '../tools/define-tool.js';
import { createFeatureFlags } from './feature-flags.js';
import { flaggedToolGate } from './flagged-tool-gate.js';

/*
 * The `agent.tools` flag through the real app and gate: off for a user, the model is offered no
 * tools and a tool call it makes anyway runs nothing; the scripted OpenAI-compatible server is the
 * only stand-in (the LLM boundary).
 */

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
  run: async () => ({ text: 'The customer prefers email.' }),
});

let llm: ScriptedLlm;
let t: TestApp;
let user: Browser;
let admin: Browser;
let dana: UserRow;

beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp({
    env: { OPENAI_BASE_URL: llm.url, ATRIUM_LLM_MAX_RETRIES: '0', ATRIUM_WORKER: 'off' },
    toolSources: [{ tools: async () => [readNote] }],
  });
  dana = await t.createUser({ email: 'dana@example.com' });
  await t.createUser({ email: 'root@example.com', role: 'admin' });
  user = new Browser(t);
  await user.signIn('dana@example.com', testPassword);
  admin = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

let keys = 0;
async function ask(content: string): Promise<Message> {
  const chat = chatResponseSchema.parse(await (await user.fetch('POST', '/api/chats', { body: {} })).json()).chat;
  const posted = await user.fetch('POST', `/api/chats/${chat.id}/messages`, {
    body: { content },
    headers: { 'Idempotency-Key': `flag-${keys++}` },
  });
  expect(posted.status).toBe(201);
  await t.runtime.agent.idle();
  const list = listMessagesResponseSchema.parse(
    await (await user.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
  );
  return list.messages.at(-1)!;
}
const setAgentTools = async (enabled: boolean) =>
  expect(
    (await admin.fetch('POST', '/api/feature-flags/agent.tools/toggle', { body: { enabled, reason: 'test' } })).status,
  ).toBe(200);
const offered = () => (llm.requests.at(-1)?.tools ?? []).map((tool) => tool.function.name);

describe('agent.tools', () => {
  it('offers the tools while on, none while off, and runs no call the model makes anyway', async () => {
    llm.enqueue({ steps: [{ toolCall: { name: 'read_note', arguments: '{}' } }] }, textScript('Email them.'));
    const withTools = await ask('How should I contact them?');
    expect(withTools.steps).toMatchObject([{ tool: 'read_note', status: 'done' }]);
    expect(offered()).toContain('read_note');

    await setAgentTools(false);
    llm.enqueue(textScript('From the knowledge base alone.'));
    const without = await ask('How should I contact them?');
    expect(without.status).toBe('complete');
    expect(without.steps).toEqual([]);
    expect(offered()).toEqual([]);

    // A model calling a tool it was not offered runs nothing.
    llm.enqueue({ steps: [{ toolCall: { name: 'read_note', arguments: '{}' } }] }, textScript('I could not look.'));
    const anyway = await ask('Read the note anyway.');
    expect(anyway.steps).toEqual([]);
    expect(JSON.stringify(anyway)).not.toContain('prefers email');

    // The flag turning off between offer and call (the gate is asked again): refused, nothing runs.
    const gate = flaggedToolGate(
      createSmallToolGate([{ tools: async () => [readNote] }]),
      createFeatureFlags({
        db: t.db,
        bus: t.runtime.bus,
        clock: t.clock,
        logger: createLogger('silent', () => undefined),
      }),
    );
    const caller = { userId: dana.id, role: dana.role };
    expect(await gate.toolsFor(caller)).toEqual([]);
    expect(await gate.call(caller, 'read_note', {}, { via: 'mcp' }, new AbortController().signal)).toMatchObject({
      kind: 'refused',
      code: 'tool.forbidden',
    });
    expect(await gate.get('read_note')).toBe(readNote);

    await setAgentTools(true);
    llm.enqueue(textScript('Back.'));
    await ask('And now?');
    expect(offered()).toContain('read_note');
  });
});
