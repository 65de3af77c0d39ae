import { flagKeys } from '@atrium/contracts';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { authenticateAccessToken } from '../auth/access-tokens.js';
import type { UserRow } from '../db/schema/index.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { createMcpServer } from '../mcp/server.js';

export const mcpPath = '/mcp';

interface McpEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { tokenUser: UserRow };
}

/** RFC 6750 §3: a missing token gets the bare challenge; a bad one says `invalid_token`. */
const challenge = (error?: 'invalid_token') => ({
  'WWW-Authenticate': error ? `Bearer realm="atrium", error="${error}"` : 'Bearer realm="atrium"',
});

/**
 * `/mcp` authenticates by a personal access token with scope `mcp` only, never by the session
 * cookie (so no CSRF token is needed: a browser never attaches the header cross-site). No token,
 * an unknown, revoked or expired one, or one without the scope → 401 with `WWW-Authenticate`;
 * 403 `flag.off` when the `mcp.server` feature flag is off for the token's owner.
 */
const accessToken = () =>
  createMiddleware<McpEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const secret = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!secret)
      throw new AppError(
        'auth.required',
        401,
        'Send a personal access token as a Bearer token.',
        undefined,
        challenge(),
      );
    const { db, clock } = c.get('deps');
    const found = await authenticateAccessToken(db, secret, 'mcp', clock.now());
    if (!found) {
      throw new AppError(
        'token.invalid',
        401,
        'This access token is unknown, revoked, expired or lacks the mcp scope.',
        undefined,
        challenge('invalid_token'),
      );
    }
    await c.get('deps').flags.require(found.user, flagKeys.mcpServer);
    c.set('tokenUser', found.user);
    await next();
  });

/**
 * Atrium's tool registry over MCP Streamable HTTP, stateless with JSON responses: each POST is
 * one JSON-RPC exchange handled by a fresh server and transport; GET (a standalone SSE stream)
 * and DELETE (ending a session) have no meaning without sessions → 405 (as the SDK's own
 * stateless examples; modelcontextprotocol/typescript-sdk#1884).
 */
export const mcpRoutes = new Hono<McpEnv>()
  .use(mcpPath, accessToken())
  .post(mcpPath, async (c) => {
    const user = c.get('tokenUser');
    const server = createMcpServer(c.get('deps').tools.gate, { userId: user.id, role: user.role });
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  })
  .on(['GET', 'DELETE'], mcpPath, (c) =>
    c.json(
      { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless.' }, id: null },
      405,
      { Allow: 'POST' },
    ),
  );
