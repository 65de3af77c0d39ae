import { type ApiClient, type ApiError, apiErrorSchema, type ErrorCode } from '@atrium/contracts';
import type { z } from 'zod';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly issues?: ApiError['issues'],
    /** From the response's Retry-After (e.g. on 429): seconds to wait before trying again; null when absent. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** RFC 9110 §10.2.3: Retry-After is either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface ApiClientOptions {
  /** The CSRF token of the current session; sent on every state-changing request. */
  csrfToken(): string | null;
  /** Called when the BFF answers 401: the session is gone. */
  onUnauthorized(): void;
  baseUrl?: string;
}

async function toError(response: Response): Promise<ApiRequestError> {
  const body = await response.json().catch(() => null);
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, issues } = parsed.data;
    return new ApiRequestError(
      response.status,
      code,
      message,
      issues,
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }
  return new ApiRequestError(response.status, 'internal', `${response.status} ${response.statusText}`);
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl ?? '';

  async function request<S extends z.ZodType>(init: RequestInit, path: string, schema: S): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await fetch(base + path, { credentials: 'same-origin', ...init });
    } catch (cause) {
      throw new ApiRequestError(0, 'network', cause instanceof Error ? cause.message : 'network error');
    }
    if (!response.ok) {
      const error = await toError(response);
      if (response.status === 401) options.onUnauthorized();
      throw error;
    }
    const body: unknown = response.status === 204 ? { ok: true } : await response.json();
    return schema.parse(body);
  }

  return {
    get: (path, schema) => request({ headers: { Accept: 'application/json' } }, path, schema),
    send: (method, path, body, schema, requestOptions) => {
      const headers: Record<string, string> = {
        ...requestOptions?.headers,
        Accept: 'application/json',
        'Content-Type': 'application/json',
      };
      const token = options.csrfToken();
      if (token) headers['X-CSRF-Token'] = token;
      return request({ method, headers, body: JSON.stringify(body ?? {}) }, path, schema);
    },
  };
}
