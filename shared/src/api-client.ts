import type { ApiClient, ApiError, ErrorCode, ResponseSchema } from '@atrium/contracts';
import { errorCodes } from '@atrium/contracts/values';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly issues?: ApiError['issues'],
    /** From the response's Retry-After (e.g. on 429): seconds to wait before trying again; null when absent. */
    readonly retryAfterSeconds: number | null = null,
    /** The whole error body, for codes that carry more than a message (`document.duplicate` carries the document). */
    readonly body?: unknown,
    /** The `X-Request-Id` this call was sent with (also its trace id): what to quote when reporting the error. */
    readonly requestId: string | null = null,
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

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The ids one call is sent with: a fresh W3C trace per call (`traceparent: 00-<32 hex trace>-<16
 * hex span>-01`, sampled), and the trace id as `X-Request-Id`, so the id a user quotes from an
 * error finds the BFF's log lines and the trace alike. `crypto.getRandomValues`, not
 * `randomUUID`: the latter exists only in secure contexts.
 */
export function traceHeaders(): { requestId: string; headers: Record<string, string> } {
  const traceId = hex(16);
  return { requestId: traceId, headers: { 'X-Request-Id': traceId, traceparent: `00-${traceId}-${hex(8)}-01` } };
}

const knownCodes: ReadonlySet<string> = new Set(errorCodes);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The BFF's error body (`apiErrorSchema` in @atrium/contracts: `{ code, message, requestId?,
 * issues?: { path, message }[] }`, `code` one of `errorCodes`), checked field by field the way
 * that schema checks it, or null for any other body (a proxy's HTML page, an unknown code). It
 * decides what the user is told, so it is checked; zod stays off the first load.
 */
export function readApiError(body: unknown): ApiError | null {
  if (!isRecord(body)) return null;
  const { code, message, requestId, issues } = body;
  if (typeof code !== 'string' || !knownCodes.has(code) || typeof message !== 'string') return null;
  if (requestId !== undefined && typeof requestId !== 'string') return null;
  if (issues === undefined)
    return { code: code as ErrorCode, message, ...(requestId === undefined ? {} : { requestId }) };
  if (!Array.isArray(issues)) return null;
  const read: NonNullable<ApiError['issues']> = [];
  for (const issue of issues) {
    if (!isRecord(issue) || typeof issue.path !== 'string' || typeof issue.message !== 'string') return null;
    read.push({ path: issue.path, message: issue.message });
  }
  return { code: code as ErrorCode, message, ...(requestId === undefined ? {} : { requestId }), issues: read };
}

/** One mapping from a failed answer to a typed error, for `fetch` and `XMLHttpRequest` alike. */
function errorFrom(
  status: number,
  statusText: string,
  body: unknown,
  retryAfter: string | null,
  requestId: string,
): ApiRequestError {
  const parsed = readApiError(body);
  if (parsed) {
    const { code, message, issues } = parsed;
    return new ApiRequestError(status, code, message, issues, parseRetryAfter(retryAfter), body, requestId);
  }
  return new ApiRequestError(status, 'internal', `${status} ${statusText}`, undefined, null, undefined, requestId);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function withQuery(path: string, query: Record<string, string> | undefined): string {
  if (!query) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(query)}`;
}

const abortError = () => new DOMException('The upload was aborted.', 'AbortError');

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl ?? '';

  function writeHeaders(contentType: string, extra?: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...extra, Accept: 'application/json', 'Content-Type': contentType };
    const token = options.csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
    return headers;
  }

  function failed(error: ApiRequestError): ApiRequestError {
    if (error.status === 401) options.onUnauthorized();
    return error;
  }

  async function request<T>(
    init: RequestInit & { headers: Record<string, string> },
    path: string,
    schema: ResponseSchema<T>,
  ): Promise<T> {
    const trace = traceHeaders();
    let response: Response;
    try {
      response = await fetch(base + path, {
        credentials: 'same-origin',
        ...init,
        headers: { ...init.headers, ...trace.headers },
      });
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : 'network error';
      throw new ApiRequestError(0, 'network', message, undefined, null, undefined, trace.requestId);
    }
    if (!response.ok) {
      throw failed(
        errorFrom(
          response.status,
          response.statusText,
          await response.json().catch(() => null),
          response.headers.get('retry-after'),
          trace.requestId,
        ),
      );
    }
    const body: unknown = response.status === 204 ? { ok: true } : await response.json();
    return schema.parse(body);
  }

  /** `fetch` reports no upload progress (request streams are not in every browser); XHR does. */
  function upload<T>(
    path: string,
    body: Blob,
    schema: ResponseSchema<T>,
    { onProgress, signal, query }: Parameters<ApiClient['upload']>[3] = {},
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const xhr = new XMLHttpRequest();
      const abort = () => xhr.abort();
      const settle = (outcome: () => void) => {
        signal?.removeEventListener('abort', abort);
        outcome();
      };
      const trace = traceHeaders();
      xhr.open('POST', base + withQuery(path, query));
      for (const [name, value] of Object.entries({ ...writeHeaders('application/octet-stream'), ...trace.headers })) {
        xhr.setRequestHeader(name, value);
      }
      xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
      xhr.onload = () =>
        settle(() => {
          const answer = xhr.status === 204 ? { ok: true } : parseJson(xhr.responseText);
          if (xhr.status < 200 || xhr.status >= 300) {
            const retryAfter = xhr.getResponseHeader('retry-after');
            reject(failed(errorFrom(xhr.status, xhr.statusText, answer, retryAfter, trace.requestId)));
            return;
          }
          let parsed: T;
          try {
            parsed = schema.parse(answer);
          } catch (error) {
            reject(error);
            return;
          }
          resolve(parsed);
        });
      xhr.onerror = () =>
        settle(() =>
          reject(new ApiRequestError(0, 'network', 'network error', undefined, null, undefined, trace.requestId)),
        );
      xhr.onabort = () => settle(() => reject(abortError()));
      signal?.addEventListener('abort', abort, { once: true });
      xhr.send(body);
    });
  }

  return {
    get: (path, schema) => request({ headers: { Accept: 'application/json' } }, path, schema),
    send: (method, path, body, schema, requestOptions) =>
      request(
        {
          method,
          headers: writeHeaders('application/json', requestOptions?.headers),
          body: JSON.stringify(body ?? {}),
        },
        path,
        schema,
      ),
    upload,
  };
}
