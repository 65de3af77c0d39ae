import {
  agentStatusSchema,
  type Chat,
  chatResponseSchema,
  csrfResponseSchema,
  type DocumentView,
  listDocumentsResponseSchema,
  listMessagesResponseSchema,
  type ManagedUser,
  type Message,
  meResponseSchema,
  postMessageResponseSchema,
  type Role,
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

  async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = {
      Origin: this.baseUrl,
      'Sec-Fetch-Site': 'same-origin',
      ...options.headers,
    };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRF-Token'] = this.csrfToken;
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined,
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
}
