import { type Context, Hono, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv, Deps } from './env.js';
import { AppError, notFound, onError } from './errors.js';
import { compression } from './middleware/compression.js';
import { closeAfterRefusedBody } from './middleware/connection-close.js';
import { csrf } from './middleware/csrf.js';
import { requestLogger } from './middleware/logger.js';
import { observeRequest } from './middleware/observe-request.js';
import { passwordChangeRequired } from './middleware/password-change.js';
import { requestId } from './middleware/request-id.js';
import { requestRollupMiddleware } from './middleware/request-rollup.js';
import { securityHeaders } from './middleware/security-headers.js';
import { session } from './middleware/session.js';
import { storableText } from './middleware/storable-text.js';
import { accountRoutes } from './routes/account.js';
import { agentRoutes } from './routes/agent.js';
import { agentProfileRoutes } from './routes/agents.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { billingRoutes, billingWebhookPath } from './routes/billing.js';
import { chatRoutes } from './routes/chats.js';
import { dashboardRoutes, evalRunsPath } from './routes/dashboards.js';
import { documentRoutes, uploadPath } from './routes/documents.js';
import { draftRoutes } from './routes/drafts.js';
import { entitlementRoutes } from './routes/entitlements.js';
import { eventRoutes } from './routes/events.js';
import { featureFlagRoutes } from './routes/feature-flags.js';
import { healthRoutes } from './routes/health.js';
import { mcpPath, mcpRoutes } from './routes/mcp.js';
import { mcpServerRoutes } from './routes/mcp-servers.js';
import { metricsRoutes } from './routes/metrics.js';
import { blobPathPrefix, registryPathPrefix, registryPublishRoutes } from './routes/registry-publish.js';
import { registryReleaseRoutes } from './routes/registry-releases.js';
import { registrySigningKeyRoutes } from './routes/registry-signing-keys.js';
import { registryTokenRoutes } from './routes/registry-tokens.js';
import { remoteRoutes } from './routes/remotes.js';
import { shellRoutes } from './routes/shell.js';
import { telemetryPath, telemetryRoutes } from './routes/telemetry.js';
import { ticketRoutes } from './routes/tickets.js';
import { toolRoutes } from './routes/tools.js';
import { usageRoutes } from './routes/usage.js';
import { userRoutes } from './routes/users.js';

/**
 * GET and HEAD carry no body our handlers read (RFC 9110 §9.3.1: it has no defined meaning), so
 * only their headers are checked: `Content-Length` over `limitBytes` → 413 `request.too_large`, a
 * chunked body (size unknown until drained) → 400 `request.invalid`. Either way the response says
 * `Connection: close` (closeAfterRefusedBody) and node stops reading the socket.
 */
export function refuseBodylessOverLimit(
  contentLength: string | undefined,
  transferEncoding: string | undefined,
  limitBytes: number,
): void {
  if (transferEncoding !== undefined)
    throw new AppError('request.invalid', 400, 'A GET or HEAD request carries no body.');
  if (contentLength !== undefined && Number(contentLength) > limitBytes)
    throw new AppError('request.too_large', 413, 'The request body is too large.');
}

export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);

  app.use('*', closeAfterRefusedBody());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('logger', deps.logger);
    await next();
  });
  app.use('*', requestId());
  app.use('*', observeRequest());
  app.use('*', requestLogger());
  app.use('*', requestRollupMiddleware());
  app.use('*', securityHeaders());
  app.use('*', storableText());
  // Only what the browser downloads to start: never the API, never event streams.
  const compress = compression();
  app.use('*', (c, next) => (c.req.path.startsWith('/api/') || c.req.path === mcpPath ? next() : compress(c, next)));
  const defaultBodyLimit = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: () => {
      throw new AppError('request.too_large', 413, 'The request body is too large.');
    },
  });
  // The registry sets its own limits (file lists, 20 MB blobs); a document upload streams to the
  // store under ATRIUM_UPLOAD_MAX_BYTES (documents/upload.ts).
  const ownBodyLimit = (path: string, method: string) =>
    path.startsWith(registryPathPrefix) || (path === uploadPath && method === 'POST');
  // GET and HEAD handlers never read a body, so none is checked: `bodyLimit` reads `c.req.raw`,
  // which under @hono/node-server builds a full web `Request` (and AbortController) per request,
  // event streams included (issue 12: ~25% of a read's CPU, and per-connection SSE memory).
  // Their headers are still checked (cheap: no web `Request` is built): a GET announcing a body
  // over the limit, or a chunked one, is refused before node drains it into the keep-alive socket.
  const bodyless = (method: string) => method === 'GET' || method === 'HEAD';
  const limitBodyless = (c: Context<AppEnv>, next: Next) => {
    refuseBodylessOverLimit(
      c.req.header('content-length'),
      c.req.header('transfer-encoding'),
      deps.config.bodyLimitBytes,
    );
    return next();
  };
  app.use('/api/*', (c, next) =>
    bodyless(c.req.method)
      ? limitBodyless(c, next)
      : ownBodyLimit(c.req.path, c.req.method)
        ? next()
        : defaultBodyLimit(c, next),
  );
  app.use(mcpPath, (c, next) => (bodyless(c.req.method) ? limitBodyless(c, next) : defaultBodyLimit(c, next)));
  app.use('*', session());
  app.use(
    '/api/*',
    csrf({
      tokenExempt: [telemetryPath],
      signedPaths: [billingWebhookPath],
      bearerPrefixes: [registryPathPrefix, evalRunsPath],
      binaryPrefixes: [blobPathPrefix, uploadPath],
    }),
  );
  app.use('/api/*', passwordChangeRequired());

  return app
    .route('/', healthRoutes)
    .route('/', metricsRoutes)
    .route('/', authRoutes)
    .route('/', accountRoutes)
    .route('/', userRoutes)
    .route('/', entitlementRoutes)
    .route('/', billingRoutes)
    .route('/', usageRoutes)
    .route('/', dashboardRoutes)
    .route('/', auditRoutes)
    .route('/', featureFlagRoutes)
    .route('/', telemetryRoutes)
    .route('/', remoteRoutes)
    .route('/', registryPublishRoutes)
    .route('/', registryReleaseRoutes)
    .route('/', registryTokenRoutes)
    .route('/', registrySigningKeyRoutes)
    .route('/', chatRoutes)
    .route('/', documentRoutes)
    .route('/', draftRoutes)
    .route('/', eventRoutes)
    .route('/', agentRoutes)
    .route('/', agentProfileRoutes)
    .route('/', mcpRoutes)
    .route('/', mcpServerRoutes)
    .route('/', toolRoutes)
    .route('/', ticketRoutes)
    .route('/', shellRoutes);
}

export type App = ReturnType<typeof createApp>;
