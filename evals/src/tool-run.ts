import { randomUUID } from 'node:crypto';
import type { Draft, Role } from '@atrium/contracts';
import { askCase } from './ask.js';
import { startBff } from './bff-process.js';
import { type AtriumClient, AtriumClient as Client, signInAskers } from './client.js';
import type { EvalCase } from './dataset.js';
import type { CaseScore } from './score.js';
import { fixtureMessage, type ToolFixtures, withTicketIds } from './tool-fixtures.js';
import { type DeclaredTool, scoreToolCase } from './tool-score.js';
import { startWorstCaseModel, type WorstCaseModel } from './worst-case-model.js';

export interface ToolRunOptions {
  runId: string;
  caseTimeoutMs: number;
  pollMs: number;
  say(text: string): void;
}

export interface ToolRunResult {
  scores: CaseScore[];
  /** Chat-completion requests the worst-case model answered (fixtures included). */
  modelRequests: number;
}

const askOptions = (o: ToolRunOptions) => ({ runId: o.runId, timeoutMs: o.caseTimeoutMs, pollMs: o.pollMs });

async function until<T>(what: string, timeoutMs: number, read: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Makes each fixture ticket as a requester would: the requester asks, the worst-case model
 * proposes `create_ticket`, the admin approves the draft, the worker executes it. Returns the
 * ticket ids by key. Throws when any step does not happen (the run cannot start).
 */
async function createFixtureTickets(
  fixtures: ToolFixtures,
  model: WorstCaseModel,
  admin: AtriumClient,
  requesters: ReadonlyMap<string, AtriumClient>,
  options: ToolRunOptions,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const ticket of fixtures.tickets) {
    const requester = requesters.get(ticket.requester)!;
    const input = fixtureMessage(ticket.key);
    model.script(input, [{ tool: 'create_ticket', arguments: { subject: ticket.subject, body: ticket.body } }]);
    const outcome = await askCase(requester, { id: `fixture-${ticket.key}`, input }, askOptions(options));
    const draftId = outcome.steps.find((step) => step.tool === 'create_ticket')?.draftId;
    if (!draftId)
      throw new Error(`fixture ticket ${ticket.key} was not drafted: ${outcome.status} ${outcome.error ?? ''}`);
    await admin.approveDraft(draftId);
    await until(`fixture ticket ${ticket.key} executed`, options.caseTimeoutMs, async () => {
      const draft = await admin.getDraft(draftId);
      if (draft.status === 'failed') throw new Error(`fixture ticket ${ticket.key}: ${draft.outcome?.message}`);
      return draft.status === 'executed' ? draft : null;
    });
    const created = (await requester.listTickets()).find((t) => t.subject === ticket.subject);
    if (!created) throw new Error(`fixture ticket ${ticket.key} is not in its requester's tickets`);
    ids.set(ticket.key, created.id);
  }
  return ids;
}

/** Uploads a case's document as the admin (audience `everyone`) and waits until it is ready. */
async function uploadDocument(admin: AtriumClient, c: EvalCase, timeoutMs: number): Promise<string> {
  const { title, text } = c.document!;
  const uploaded = await admin.uploadText(`${c.id}.md`, title, text, 'everyone');
  await until(`document of ${c.id} ready`, timeoutMs, async () => {
    const document = await admin.getDocument(uploaded.id);
    if (document.status === 'failed' || document.status === 'cancelled') {
      throw new Error(`document of ${c.id} ${document.status}: ${document.failure?.message ?? ''}`);
    }
    return document.status === 'ready' ? document : null;
  });
  return uploaded.id;
}

/** The drafts of the answer's drafted steps, as the asker reads them; one it cannot read is left out. */
async function draftsOf(
  asker: AtriumClient,
  steps: readonly { draftId: string | null }[],
): Promise<Map<string, Draft>> {
  const drafts = new Map<string, Draft>();
  for (const step of steps) {
    if (!step.draftId) continue;
    const draft = await asker.getDraft(step.draftId).catch(() => null);
    if (draft) drafts.set(step.draftId, draft);
  }
  return drafts;
}

/**
 * The tool-use mode of `pnpm eval`: starts the worst-case model (the only test double, at the
 * LLM boundary) and a second BFF wired to it (fresh in-memory database, no demo knowledge base:
 * each `injected_document` case uploads its own document and deletes it afterwards), makes the
 * fixtures, then asks each case and scores it with `scoreToolCase`. A failing case fails only
 * itself; a failing fixture throws.
 */
export async function runToolCases(
  cases: EvalCase[],
  fixtures: ToolFixtures,
  options: ToolRunOptions,
): Promise<ToolRunResult> {
  const model = await startWorstCaseModel();
  const admin = { email: `eval-tools-admin-${options.runId}@evals.test`, password: randomUUID() };
  const hosts = fixtures.http_tools.map((tool) => new URL(tool.url).hostname);
  options.say('Starting a second BFF wired to the worst-case model (tool use)…');
  const bff = await startBff({
    ATRIUM_DATA_DIR: 'memory://',
    DATABASE_URL: '',
    ATRIUM_SEED_DEMO_KB: 'false',
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    ATRIUM_ADMIN_EMAIL: admin.email,
    ATRIUM_ADMIN_PASSWORD: admin.password,
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: 'eval-worst-case-model',
    ATRIUM_EMBEDDING_MODEL: '',
    ATRIUM_HTTP_TOOL_ALLOW_HOSTS: hosts.join(','),
    LOG_LEVEL: 'warn',
  });
  try {
    const adminClient = await Client.signIn(bff.url, admin.email, admin.password);
    const roles = new Set<Role>(cases.map((c) => c.asker_role));
    for (const ticket of fixtures.tickets) if (ticket.requester !== 'other_user') roles.add(ticket.requester);
    const askers = await signInAskers(adminClient, [...roles], options.runId);
    const otherEmail = `eval-other-user-${options.runId}@evals.test`;
    const otherPassword = randomUUID();
    await adminClient.createUser(otherEmail, otherPassword, 'user');
    const requesters = new Map<string, AtriumClient>([
      ...askers,
      ['other_user', await Client.signIn(bff.url, otherEmail, otherPassword)],
    ]);
    for (const tool of fixtures.http_tools) await adminClient.createHttpTool(tool);
    const ticketIds = await createFixtureTickets(fixtures, model, adminClient, requesters, options);
    const tools = new Map<string, DeclaredTool>(
      (await adminClient.listTools()).map((tool) => [tool.name, { risk: tool.risk, roles: tool.roles }]),
    );

    options.say(`Asking ${cases.length} tool cases of the worst-case model…`);
    const scores: CaseScore[] = [];
    for (const [index, original] of cases.entries()) {
      const c = withTicketIds(original, ticketIds);
      const asker = askers.get(c.asker_role)!;
      const documentId = c.document ? await uploadDocument(adminClient, c, options.caseTimeoutMs) : null;
      model.script(c.input, c.model_calls);
      const ticketsBefore = (await adminClient.listTickets()).length;
      const outcome = await askCase(asker, c, askOptions(options));
      const drafts = await draftsOf(asker, outcome.steps);
      const ticketsCreated = (await adminClient.listTickets()).length - ticketsBefore;
      if (documentId) await adminClient.deleteDocument(documentId);
      const score = scoreToolCase(c, outcome, { drafts, ticketsCreated }, tools);
      scores.push(score);
      options.say(
        `[tools ${index + 1}/${cases.length}] ${score.passed ? 'pass' : 'FAIL'} ${c.id}${score.passed ? '' : `: ${score.failures.join('; ')}`}`,
      );
    }
    return { scores, modelRequests: model.requests() };
  } finally {
    await bff.stop();
    await model.close();
  }
}
