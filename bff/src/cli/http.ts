import { apiErrorSchema } from '@atrium/contracts';
import { z } from 'zod';
import { CliError } from './errors.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A newer server may answer with codes this CLI does not know yet; they are still worth printing. */
const serverErrorSchema = apiErrorSchema.extend({ code: z.string() });

/** The server said no: its stable code and message, as the contracts define them. */
export class ApiRequestError extends CliError {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
    hints: readonly string[] = [],
  ) {
    super(message, hints);
  }
}

export interface ClientOptions {
  /** The server's origin; every path is resolved against it. */
  server: URL;
  /** A deploy token (`atr_dt_…`), sent as `Authorization: Bearer`. */
  token?: string | null;
  /** A stored session: its `name=value` cookie and CSRF token. */
  session?: { cookie: string; csrfToken: string } | null;
}

/**
 * The CLI's one HTTP client. It speaks to the BFF the way the shell does (cookie, CSRF token,
 * Origin on writes) or with a deploy token, and checks every answer against its contracts schema.
 */
export class ApiClient {
  readonly server: URL;
  csrfToken: string | null;
  private readonly token: string | null;
  private readonly cookies = new Map<string, string>();

  constructor(options: ClientOptions) {
    this.server = options.server;
    this.token = options.token ?? null;
    this.csrfToken = options.session?.csrfToken ?? null;
    if (options.session) this.keepCookie(options.session.cookie);
  }

  /** The `name=value` of the first cookie present among `names`, e.g. the session cookie after sign-in. */
  cookie(names: readonly string[]): string | null {
    for (const name of names) {
      const value = this.cookies.get(name);
      if (value !== undefined) return `${name}=${value}`;
    }
    return null;
  }

  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.send('GET', path, schema);
  }

  post<S extends z.ZodType>(path: string, schema: S, body: unknown): Promise<z.output<S>> {
    return this.send('POST', path, schema, body);
  }

  put<S extends z.ZodType>(path: string, schema: S, body: unknown): Promise<z.output<S>> {
    return this.send('PUT', path, schema, body);
  }

  delete<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.send('DELETE', path, schema);
  }

  /** Raw bytes, e.g. one artifact blob. */
  async upload<S extends z.ZodType>(path: string, schema: S, bytes: Uint8Array): Promise<z.output<S>> {
    const response = await this.fetch('PUT', path, {
      body: bytes,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    return this.read('PUT', path, response, schema);
  }

  async send<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    // State-changing requests must be JSON (the BFF refuses anything else with 415), even without a payload.
    const init =
      method === 'GET'
        ? {}
        : {
            body: JSON.stringify(body ?? {}),
            headers: { 'Content-Type': 'application/json' } as Record<string, string>,
          };
    const response = await this.fetch(method, path, init);
    return this.read(method, path, response, schema);
  }

  private async fetch(
    method: Method,
    path: string,
    init: { body?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (method !== 'GET') {
      headers.Origin = this.server.origin;
      if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    }
    let response: Response;
    try {
      response = await fetch(new URL(path, this.server), { method, headers, body: init.body ?? null });
    } catch (error) {
      throw new CliError(`Cannot reach ${this.server.origin}: ${networkReason(error)}.`, [
        'Is the BFF running? Pass --server or set ATRIUM_SERVER to point elsewhere.',
      ]);
    }
    for (const line of response.headers.getSetCookie()) this.keepCookie(line);
    return response;
  }

  private async read<S extends z.ZodType>(
    method: Method,
    path: string,
    response: Response,
    schema: S,
  ): Promise<z.output<S>> {
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new CliError(
        `${method} ${path} answered ${response.status} with something other than JSON: is ${this.server.origin} an Atrium BFF?`,
      );
    }
    if (!response.ok) throw this.failure(response.status, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new CliError(`${method} ${path} answered in an unexpected shape (${problems}).`, [
        'The CLI and the server may be from different versions of Atrium.',
      ]);
    }
    return parsed.data;
  }

  private failure(status: number, body: unknown): ApiRequestError {
    const parsed = serverErrorSchema.safeParse(body);
    if (!parsed.success) return new ApiRequestError(status, `http.${status}`, `The server answered ${status}.`);
    const { code, message, issues = [] } = parsed.data;
    return new ApiRequestError(status, code, message, issues, this.hintsFor(code));
  }

  private hintsFor(code: string): string[] {
    if (code === 'auth.required' && !this.token) {
      return [`Sign in first: atrium login --server ${this.server.origin} --email you@example.com`];
    }
    if (code === 'auth.csrf_failed' && this.csrfToken) return ['Your session may be stale: run atrium login again.'];
    return [];
  }

  private keepCookie(setCookie: string): void {
    const [pair = ''] = setCookie.split(';');
    const separator = pair.indexOf('=');
    if (separator <= 0) return;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (value === '' || /;\s*max-age=0/i.test(setCookie)) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
