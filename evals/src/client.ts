import { randomUUID } from 'node:crypto';
import {
  agentStatusSchema,
  type Chat,
  type CreateHttpToolRequest,
  chatResponseSchema,
  csrfResponseSchema,
  type DocumentView,
  type Draft,
  documentResponseSchema,
  draftResponseSchema,
  httpToolResponseSchema,
  listDocumentsResponseSchema,
  listMessagesResponseSchema,
  listTicketsResponseSchema,
  listToolsResponseSchema,
  type ManagedUser,
  type Message,
  meResponseSchema,
  okResponseSchema,
  postMessageResponseSchema,
  type Role,
  type TicketSummary,
  type ToolView,
  userResponseSchema,
} from '@atrium/contracts';
import type { z } from 'zod';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    body: string,
  ) {
    super(`${method} ${path} → ${status} ${body.slice(0, 300)}`);
  }
}

/**
 * A signed-in session against the BFF, as a browser holds one: cookies, the double-submit CSRF
 * token (`GET /api/auth/csrf` before signing in, then the session's from `/api/auth/sign-in`),
 * and same-origin `Origin` / `Sec-Fetch-Site` headers on every state-changing request.
 * Every response body is parsed with its contracts schema.
 */
export class AtriumClient {
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  private constructor(readonly baseUrl: string) {}

  /** Throws `HttpError` (401 `auth.invalid_credentials`, 429 when rate-limited, …). */
  static async signIn(baseUrl: string, email: string, password: string): Promise<AtriumClient> {
    const client = new AtriumClient(baseUrl);
    client.csrfToken = (await client.request('GET', '/api/auth/csrf', csrfResponseSchema)).csrfToken;
    const me = await client.request('POST', '/api/auth/sign-in', meResponseSchema, { body: { email, password } });
    client.csrfToken = me.csrfToken;
    return client;
  }

  /** `body` is sent as JSON; `raw` as the bytes themselves (an upload), with its own Content-Type. */
  async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    options: {
      body?: unknown;
      raw?: { contentType: string; bytes: Uint8Array };
      headers?: Record<string, string>;
    } = {},
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = {
      Origin: this.baseUrl,
      'Sec-Fetch-Site': 'same-origin',
      ...options.headers,
    };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (method !== 'GET') {
      headers['Content-Type'] = options.raw?.contentType ?? 'application/json';
      headers['X-CSRF-Token'] = this.csrfToken;
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: method === 'GET' ? undefined : (options.raw?.bytes ?? JSON.stringify(options.body ?? {})),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1);
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, method, path, text);
    return schema.parse(text ? JSON.parse(text) : null);
  }

  /** `POST /api/users` (admin only): a user with `role`, whose display name is the email's local part. */
  async createUser(email: string, password: string, role: Role): Promise<ManagedUser> {
    const body = { email, password, role, displayName: email.split('@')[0] };
    return (await this.request('POST', '/api/users', userResponseSchema, { body })).user;
  }

  /** Every document the caller may see, following `nextCursor` through all pages. */
  async listAllDocuments(): Promise<DocumentView[]> {
    const documents: DocumentView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const page = await this.request('GET', `/api/documents${query}`, listDocumentsResponseSchema);
      documents.push(...page.documents);
      cursor = page.nextCursor;
    } while (cursor);
    return documents;
  }

  agentStatus() {
    return this.request('GET', '/api/agent', agentStatusSchema);
  }

  async createChat(title: string): Promise<Chat> {
    return (await this.request('POST', '/api/chats', chatResponseSchema, { body: { title } })).chat;
  }

  /** Posts a question; `idempotencyKey` makes a retried request post it once. Returns the answer it started. */
  async postMessage(chatId: string, content: string, idempotencyKey: string): Promise<Message> {
    const posted = await this.request('POST', `/api/chats/${chatId}/messages`, postMessageResponseSchema, {
      body: { content },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return posted.answer;
  }

  /** The newest page of a chat's messages, oldest first. */
  async listMessages(chatId: string): Promise<Message[]> {
    return (await this.request('GET', `/api/chats/${chatId}/messages?limit=100`, listMessagesResponseSchema)).messages;
  }

  /** `GET /api/drafts/:id`: a draft the caller proposed or may decide (else 404). */
  async getDraft(id: string): Promise<Draft> {
    return (await this.request('GET', `/api/drafts/${id}`, draftResponseSchema)).draft;
  }

  /** `POST /api/drafts/:id/approve`: gives the draft's next level (the caller must hold one of its roles). */
  async approveDraft(id: string): Promise<Draft> {
    return (await this.request('POST', `/api/drafts/${id}/approve`, draftResponseSchema, { body: {} })).draft;
  }

  /** `GET /api/tickets`: the newest tickets the caller may see (a `user` their own; staff all). */
  async listTickets(): Promise<TicketSummary[]> {
    return (await this.request('GET', '/api/tickets?limit=100', listTicketsResponseSchema)).tickets;
  }

  /** `GET /api/admin/tools` (`tools:read`): every tool with its risk and roles. */
  async listTools(): Promise<ToolView[]> {
    return (await this.request('GET', '/api/admin/tools', listToolsResponseSchema)).tools;
  }

  /** `POST /api/admin/http-tools` (`tools:manage`). */
  async createHttpTool(tool: CreateHttpToolRequest): Promise<void> {
    await this.request('POST', '/api/admin/http-tools', httpToolResponseSchema, { body: tool });
  }

  /** `POST /api/documents?filename=…&title=…&audience=…` with the text's UTF-8 bytes as the body (`application/octet-stream`: the BFF detects the type). */
  async uploadText(filename: string, title: string, text: string, audience: DocumentView['audience']) {
    const query = new URLSearchParams({ filename, title, audience });
    const bytes = new TextEncoder().encode(text);
    const raw = { contentType: 'application/octet-stream', bytes };
    return (await this.request('POST', `/api/documents?${query}`, documentResponseSchema, { raw })).document;
  }

  async getDocument(id: string): Promise<DocumentView> {
    return (await this.request('GET', `/api/documents/${id}`, documentResponseSchema)).document;
  }

  async deleteDocument(id: string): Promise<void> {
    await this.request('DELETE', `/api/documents/${id}`, okResponseSchema);
  }
}

/** One user per role the cases ask as, created by the admin through `POST /api/users`, each signed in. */
export async function signInAskers(
  admin: AtriumClient,
  roles: Role[],
  runId: string,
): Promise<Map<Role, AtriumClient>> {
  const askers = new Map<Role, AtriumClient>();
  for (const role of roles) {
    const email = `eval-asker-${role.replace('_', '-')}-${runId}@evals.test`;
    const password = randomUUID();
    await admin.createUser(email, password, role);
    askers.set(role, await AtriumClient.signIn(admin.baseUrl, email, password));
  }
  return askers;
}
