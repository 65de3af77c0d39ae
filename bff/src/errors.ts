import type { ApiError, ErrorCode } from '@atrium/contracts';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { AppEnv } from './env.js';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly issues?: ApiError['issues'],
    readonly headers?: Record<string, string>,
    /** More fields of the error body, for codes whose contract carries them (`document.duplicate`: `document`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function issuesOf(error: ZodError): NonNullable<ApiError['issues']> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError('request.invalid', 400, 'The request is invalid.', issuesOf(err));
  if (err instanceof HTTPException && err.status < 500) {
    if (err.status === 413) return new AppError('request.too_large', 413, 'The request body is too large.');
    if (err.status === 415) return new AppError('request.unsupported_media_type', 415, err.message);
    return new AppError('request.invalid', 400, err.message || 'The request is invalid.');
  }
  return null;
}

/**
 * Node's error for a request whose socket closed before its body was complete (`abortIncoming` in
 * node:http: message "aborted", code ECONNRESET). It is the client's doing, not a fault of ours.
 */
function isClientAbort(err: Error): boolean {
  return err.message === 'aborted' && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
}

export function onError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId');
  if (isClientAbort(err)) {
    c.get('logger').info('request aborted by the client', { requestId });
    const body: ApiError = { code: 'request.aborted', message: 'The request body did not arrive.', requestId };
    return c.json(body, 400);
  }
  const known = toAppError(err);
  if (known) {
    const body: ApiError = { code: known.code, message: known.message, requestId, issues: known.issues };
    return c.json({ ...known.extra, ...body }, known.status, known.headers);
  }
  c.get('logger').error('unhandled error', {
    requestId,
    error: err.message,
    stack: err.stack,
  });
  const body: ApiError = { code: 'internal', message: 'Something went wrong on our side.', requestId };
  return c.json(body, 500);
}

export function notFound(c: Context<AppEnv>): Response {
  const body: ApiError = {
    code: 'route.not_found',
    message: `No route for ${c.req.method} ${c.req.path}.`,
    requestId: c.get('requestId'),
  };
  return c.json(body, 404);
}
