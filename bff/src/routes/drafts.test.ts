import {
  apiErrorSchema,
  type Draft,
  draftResponseSchema,
  listDraftsResponseSchema,
  type Role,
} from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../testing/browser.js';
import { countNotes, writeNoteTool } from '../testing/draft-tools.js';
import { createTestApp, type TestApp, testPassword } from '../testing/test-app.js';
import type { AnyTool } from '../tools/tool.js';

let t: TestApp;
const people = new Map<string, { browser: Browser; userId: string; role: Role }>();

async function person(name: string, role: Role) {
  const user = await t.createUser({ email: `${name}@example.com`, role });
  const browser = new Browser(t);
  await browser.signIn(`${name}@example.com`, testPassword);
  people.set(name, { browser, userId: user.id, role });
}
const as = (name: string) => people.get(name)!;

const propose = (text: string) => {
  const requester = as('requester');
  return t.drafts.proposer.propose({
    tool: writeNoteTool as AnyTool,
    input: { text },
    caller: { userId: requester.userId, role: requester.role },
    origin: { via: 'chat', chatId: crypto.randomUUID(), answerId: crypto.randomUUID(), stepId: 'call_1' },
  });
};

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(apiErrorSchema.parse(await response.json()).code).toBe(code);
}

beforeAll(async () => {
  t = await createTestApp({
    env: { ATRIUM_WORKER: 'off' },
    toolSources: [{ tools: async () => [writeNoteTool as AnyTool] }],
  });
  await person('requester', 'user');
  await person('approver', 'approver');
  await person('admin', 'admin');
  await person('stranger', 'agent_l1');
});
afterAll(() => t.close());

describe('/api/drafts', () => {
  it('lists the approvals queue for deciders only, filtered and paged by cursor', async () => {
    const first = await propose('one');
    t.clock.advance(1_000);
    const second = await propose('two');
    const page = await as('approver').browser.fetch('GET', '/api/drafts?limit=1&status=pending');
    expect(page.status).toBe(200);
    const body = listDraftsResponseSchema.parse(await page.json());
    expect(body.drafts.map((d) => d.id)).toEqual([second.id]);
    const next = await as('approver').browser.fetch(
      'GET',
      `/api/drafts?limit=1&status=pending&cursor=${body.nextCursor}`,
    );
    expect(listDraftsResponseSchema.parse(await next.json()).drafts.map((d) => d.id)).toEqual([first.id]);
    const filtered = await as('admin').browser.fetch('GET', '/api/drafts?tool=nothing_like_it');
    expect(listDraftsResponseSchema.parse(await filtered.json()).drafts).toEqual([]);
    await expectError(await as('requester').browser.fetch('GET', '/api/drafts'), 403, 'auth.forbidden');
    await expectError(
      await as('approver').browser.fetch('GET', '/api/drafts?cursor=forged'),
      400,
      'request.invalid_cursor',
    );
    await expectError(await as('approver').browser.fetch('GET', '/api/drafts?risk=extreme'), 400, 'request.invalid');
    const mine = await as('requester').browser.fetch('GET', '/api/drafts/mine');
    expect(listDraftsResponseSchema.parse(await mine.json()).drafts.length).toBeGreaterThanOrEqual(2);
    const strangers = await as('stranger').browser.fetch('GET', '/api/drafts/mine');
    expect(listDraftsResponseSchema.parse(await strangers.json()).drafts).toEqual([]);
  });

  it('shows a draft to its requester and deciders; to anyone else it does not exist', async () => {
    const draft = await propose('private');
    for (const name of ['requester', 'approver', 'admin']) {
      const response = await as(name).browser.fetch('GET', `/api/drafts/${draft.id}`);
      expect(draftResponseSchema.parse(await response.json()).draft.id).toBe(draft.id);
    }
    await expectError(await as('stranger').browser.fetch('GET', `/api/drafts/${draft.id}`), 404, 'draft.not_found');
    await expectError(
      await as('stranger').browser.fetch('POST', `/api/drafts/${draft.id}/withdraw`),
      404,
      'draft.not_found',
    );
    await expectError(await as('stranger').browser.fetch('GET', '/api/drafts/not-a-uuid'), 400, 'request.invalid');
  });

  it('approves, and the worker executes it once; the requester reads the result', async () => {
    const draft = await propose('approve me');
    await expectError(
      await as('requester').browser.fetch('POST', `/api/drafts/${draft.id}/approve`, { body: {} }),
      403,
      'auth.forbidden',
    );
    const approved = await as('approver').browser.fetch('POST', `/api/drafts/${draft.id}/approve`, { body: {} });
    expect(draftResponseSchema.parse(await approved.json()).draft.status).toBe('executing');
    await expectError(
      await as('admin').browser.fetch('POST', `/api/drafts/${draft.id}/approve`, { body: {} }),
      409,
      'draft.not_pending',
    );
    await t.ingestion.worker.runOnce();
    const read = await as('requester').browser.fetch('GET', `/api/drafts/${draft.id}`);
    const done: Draft = draftResponseSchema.parse(await read.json()).draft;
    expect(done).toMatchObject({ status: 'executed', outcome: { code: 'draft.executed' } });
    expect(done.levels[0]!.decision).toMatchObject({ approve: true, by: { kind: 'user', id: as('approver').userId } });
    expect(await countNotes(t.db, draft.id)).toBe(1);
  });

  it('rejects with a reason only, and withdraws for the requester only', async () => {
    const draft = await propose('reject me');
    await expectError(
      await as('approver').browser.fetch('POST', `/api/drafts/${draft.id}/reject`, { body: { reason: ' ' } }),
      400,
      'request.invalid',
    );
    await expectError(
      await as('approver').browser.fetch('POST', `/api/drafts/${draft.id}/withdraw`),
      403,
      'draft.not_requester',
    );
    const rejected = await as('admin').browser.fetch('POST', `/api/drafts/${draft.id}/reject`, {
      body: { reason: 'Duplicate' },
    });
    expect(draftResponseSchema.parse(await rejected.json()).draft).toMatchObject({
      status: 'rejected',
      outcome: { message: 'Duplicate' },
    });
    const other = await propose('withdraw me');
    const withdrawn = await as('requester').browser.fetch('POST', `/api/drafts/${other.id}/withdraw`);
    expect(draftResponseSchema.parse(await withdrawn.json()).draft.status).toBe('withdrawn');
  });
});
