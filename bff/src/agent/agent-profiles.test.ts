import {
  audienceRank,
  type CreateAgentRequest,
  chatResponseSchema,
  type DocumentAudience,
  listMessagesResponseSchema,
  type Message,
} from '@atrium/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documents, messages } from '../db/schema/index.js';
import { enqueueIngestion } from '../ingestion/pipeline.js';
import { Browser } from '../testing/browser.js';
import { fakeEntitlements } from '../testing/fake-entitlements.js';
import { type ScriptedLlm, startScriptedLlm, textScript } from '../testing/scripted-llm.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import { agentProfiles } from './profiles.js';

/*
 * The chat's agent decides the answer (issue 11 item 1): its system prompt, model and tools reach
 * the (scripted) model; its audience narrows retrieval and never widens it; the answer records
 * which agent wrote it. Real app, real tool gate and built-in tools, real retrieval (full text).
 */

const escalation = `# Escalation playbook

## Priority codes

The internal escalation code for outages is ORCHID-77, paged to the on-call lead.
`;

const entitlements = fakeEntitlements();
let llm: ScriptedLlm;
let t: TestApp;
let admin: Browser;
let staff: Browser;
let customer: Browser;
let keys = 0;

async function addDocument(ownerId: string, title: string, text: string, audience: DocumentAudience) {
  const stored = await t.ingestion.store.write(new TextEncoder().encode(text));
  const now = t.clock.now();
  await t.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(documents)
      .values({
        ownerId,
        title,
        filename: `${title}.md`,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        audience,
        audienceRank: audienceRank[audience],
        status: 'queued',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await enqueueIngestion(t.ingestion.queue, tx, row!);
  });
}

async function defineAgent(body: CreateAgentRequest) {
  const response = await admin.fetch('POST', '/api/agents', { body });
  expect(response.status).toBe(201);
}

/** Asks `content` in a new chat with `agentId`; the last message (the answer) once it is done. */
async function ask(browser: Browser, agentId: string, content: string): Promise<Message> {
  const created = await browser.fetch('POST', '/api/chats', { body: { agentId } });
  expect(created.status).toBe(201);
  const { chat } = chatResponseSchema.parse(await created.json());
  const posted = await browser.fetch('POST', `/api/chats/${chat.id}/messages`, {
    body: { content },
    headers: { 'Idempotency-Key': `agent-${++keys}` },
  });
  expect(posted.status).toBe(201);
  await t.runtime.agent.idle();
  const page = listMessagesResponseSchema.parse(
    await (await browser.fetch('GET', `/api/chats/${chat.id}/messages`)).json(),
  );
  return page.messages.at(-1)!;
}

const systemOf = (n: number) => llm.requests[n]?.messages[0]?.content ?? '';
const offered = (n: number) => (llm.requests[n]?.tools ?? []).map((tool) => tool.function.name).sort();

beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp({
    env: { OPENAI_BASE_URL: llm.url, ATRIUM_WORKER: 'off', ATRIUM_AGENT_MAX_STEPS: '2', ATRIUM_LLM_MAX_RETRIES: '0' },
    entitlements,
  });
  const owner = await t.createUser({ email: 'root@example.com', role: 'admin' });
  const l1 = await t.createUser({ email: 'staff@example.com', role: 'agent_l1' });
  const user = await t.createUser({ email: 'customer@example.com', role: 'user' });
  for (const id of [owner.id, l1.id, user.id]) entitlements.pro.add(id);
  await addDocument(owner.id, 'Escalation playbook', escalation, 'agent_l1');
  while ((await t.ingestion.worker.runOnce()) > 0);
  admin = new Browser(t);
  staff = new Browser(t);
  customer = new Browser(t);
  await admin.signIn('root@example.com', testPassword);
  await staff.signIn('staff@example.com', testPassword);
  await customer.signIn('customer@example.com', testPassword);

  await defineAgent({
    id: 'desk',
    name: 'Desk',
    description: '',
    systemPrompt: 'You are the DESK agent. Answer in one line.',
    tools: ['get_ticket', 'issue_refund'],
    model: 'desk-model-1',
    audience: null,
  });
  await defineAgent({
    id: 'public-only',
    name: 'Public only',
    description: '',
    systemPrompt: 'You answer from public documents only.',
    tools: [],
    model: null,
    audience: 'everyone',
  });
  await defineAgent({
    id: 'wide',
    name: 'Wide',
    description: '',
    systemPrompt: 'You read the widest audience.',
    tools: null,
    model: null,
    audience: 'agent_l2',
  });
});
afterAll(async () => {
  await t.close();
  await llm.close();
});
afterEach(() => {
  llm.requests.length = 0;
});

describe('the chat agent decides the model call', () => {
  it("sends the agent's system prompt and model, and offers only its tools the asker may use", async () => {
    llm.enqueue(textScript('On it.'));
    const answer = await ask(staff, 'desk', 'Where is ticket 12?');
    expect(answer).toMatchObject({ status: 'complete', content: 'On it.', model: 'desk-model-1' });
    expect(llm.requests[0]?.model).toBe('desk-model-1');
    expect(systemOf(0).startsWith('You are the DESK agent. Answer in one line.')).toBe(true);
    // issue_refund is on the agent's list but agent_l1 may not use it: the gate still decides roles.
    expect(offered(0)).toEqual(['get_ticket']);
    const [row] = await t.db.select({ agentId: messages.agentId }).from(messages).where(eq(messages.id, answer.id));
    expect(row?.agentId).toBe('desk');
  });

  it('refuses a call to a tool outside the agent list, even one the asker may use', async () => {
    llm.enqueue(
      { steps: [{ toolCall: { name: 'list_my_tickets', arguments: '{}', id: 'call_1' } }] },
      textScript('I cannot list them here.'),
    );
    const answer = await ask(staff, 'desk', 'List my tickets.');
    expect(answer.steps).toMatchObject([{ tool: 'list_my_tickets', status: 'refused' }]);
    expect(llm.requests[1]?.messages.at(-1)?.content).toContain('tool.unknown');
  });

  it('the default agent offers every tool the asker may use, with its built-in prompt', async () => {
    llm.enqueue(textScript('Hello.'));
    await ask(staff, 'support', 'Hello?');
    expect(systemOf(0).startsWith(agentProfiles.support.systemPrompt)).toBe(true);
    expect(offered(0)).toContain('list_my_tickets');
    expect(offered(0)).toContain('get_ticket');
    expect(llm.requests[0]?.model).not.toBe('desk-model-1');
  });

  it('an agent with an empty tool list offers none', async () => {
    llm.enqueue(textScript('No tools.'));
    await ask(staff, 'public-only', 'Hello?');
    expect(llm.requests[0]?.tools ?? []).toEqual([]);
  });

  it('an admin edit to a built-in reaches the next answer', async () => {
    const patched = await admin.fetch('PATCH', '/api/agents/technical', {
      body: { systemPrompt: 'TECH OVERRIDE prompt.', model: 'tech-model' },
    });
    expect(patched.status).toBe(200);
    llm.enqueue(textScript('Fixed.'));
    await ask(staff, 'technical', 'My app crashes.');
    expect(systemOf(0).startsWith('TECH OVERRIDE prompt.')).toBe(true);
    expect(llm.requests[0]?.model).toBe('tech-model');
  });
});

describe("the agent's audience narrows retrieval, never widens it", () => {
  const question = 'What is the escalation code for outages?';

  it('the asker’s own access when the agent sets none', async () => {
    llm.enqueue(textScript('See the playbook.'));
    await ask(staff, 'desk', question);
    expect(systemOf(0)).toContain('ORCHID-77');
  });

  it('an agent reading only `everyone` does not show staff documents to staff', async () => {
    llm.enqueue(textScript('I do not know.'));
    await ask(staff, 'public-only', question);
    expect(systemOf(0)).not.toContain('ORCHID-77');
  });

  it('an agent with a wider audience does not show a customer what they may not read', async () => {
    llm.enqueue(textScript('I do not know.'));
    await ask(customer, 'wide', question);
    expect(systemOf(0)).not.toContain('ORCHID-77');
    // …while the same agent reads it for staff, who may.
    llm.enqueue(textScript('See the playbook.'));
    await ask(staff, 'wide', question);
    expect(systemOf(1)).toContain('ORCHID-77');
  });
});
