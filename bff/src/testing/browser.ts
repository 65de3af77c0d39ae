import { csrfResponseSchema, meResponseSchema } from '@atrium/contracts';
import type { TestApp } from './test-app.js';

export interface BrowserOptions {
  origin?: string;
  /** Extra headers on every request, e.g. to play a hostile page. */
  headers?: Record<string, string>;
}

/**
 * A minimal same-origin browser over `app.request`: keeps cookies, sends Fetch Metadata and
 * the CSRF token the way the shell's API client does.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;
  readonly origin: string;

  constructor(
    private readonly target: TestApp,
    private readonly options: BrowserOptions = {},
  ) {
    this.origin = options.origin ?? 'http://localhost';
  }

  async fetch(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { Origin: this.origin, 'Sec-Fetch-Site': 'same-origin' };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    }
    Object.assign(headers, this.options.headers, init.headers);
    const body = init.body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(init.body);
    const response = await this.target.app.request(`${this.origin}${path}`, { method, headers, body });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return response;
  }

  /**
   * Sends `body` raw, as the shell's `ApiClient.upload` does (`application/octet-stream`, the
   * CSRF token). A stream body is sent as it comes; `headers` may set `Content-Length`.
   */
  async upload(path: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
    const sent: Record<string, string> = {
      Origin: this.origin,
      'Sec-Fetch-Site': 'same-origin',
      'Content-Type': 'application/octet-stream',
    };
    if (this.cookies.size > 0) sent.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrfToken) sent['X-CSRF-Token'] = this.csrfToken;
    Object.assign(sent, this.options.headers, headers);
    return this.target.app.request(`${this.origin}${path}`, {
      method: 'POST',
      headers: sent,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  }

  async signIn(email: string, password: string): Promise<Response> {
    if (!this.csrfToken) {
      const csrf = await this.fetch('GET', '/api/auth/csrf');
      this.csrfToken = csrfResponseSchema.parse(await csrf.json()).csrfToken;
    }
    const response = await this.fetch('POST', '/api/auth/sign-in', { body: { email, password } });
    if (response.ok) this.csrfToken = meResponseSchema.parse(await response.clone().json()).csrfToken;
    return response;
  }

  sessionCookie(): string | undefined {
    return this.cookies.get('atrium_session') ?? this.cookies.get('__Host-atrium_session');
  }
}
