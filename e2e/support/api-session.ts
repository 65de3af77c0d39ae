import { type ManagedUser, meResponseSchema, type Role, userResponseSchema } from '@atrium/contracts';

/** A signed-in HTTP session from Node, for arranging test data through the real API. */
export class ApiSession {
  private cookies = new Map<string, string>();
  private csrfToken = '';

  private constructor(private readonly baseUrl: string) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<ApiSession> {
    const session = new ApiSession(baseUrl);
    const csrf = (await session.request('GET', '/api/auth/csrf')) as { csrfToken: string };
    session.csrfToken = csrf.csrfToken;
    const me = meResponseSchema.parse(await session.request('POST', '/api/auth/sign-in', { email, password }));
    session.csrfToken = me.csrfToken;
    return session;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<unknown> {
    const response = await this.raw(method, path, body, extraHeaders);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async raw(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Origin: this.baseUrl, 'Sec-Fetch-Site': 'same-origin', ...extraHeaders };
    if (this.cookies.size) headers.Cookie = this.cookieHeader();
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRF-Token'] = this.csrfToken;
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!.trim(), value.join('='));
    }
    return response;
  }

  async createUser(email: string, password: string, role: Role): Promise<ManagedUser> {
    const body = { email, password, role, displayName: email.split('@')[0] };
    return userResponseSchema.parse(await this.request('POST', '/api/users', body)).user;
  }
}
