/**
 * The contracts' plain values: constants and small pure functions, with no zod. Browser code on
 * the first-load path imports these from `@atrium/contracts/values` (and only types from
 * `@atrium/contracts`), so it never loads zod; the zod schemas in the other modules import the
 * same definitions, so each value is defined once. Nothing here may import a module that
 * imports zod.
 */

/** Every error the BFF can answer with. Codes are stable: clients branch on them. */
export const errorCodes = [
  'request.invalid',
  'request.unsupported_media_type',
  'request.too_large',
  /** A string from the client holds U+0000 or an unpaired surrogate, which no text column can store. */
  'request.invalid_text',
  /** A page cursor (`cursor`, `before`, `Last-Event-ID`) that this server did not issue. */
  'request.invalid_cursor',
  'route.not_found',
  'auth.required',
  'auth.invalid_credentials',
  'auth.rate_limited',
  'auth.account_locked',
  'auth.forbidden',
  'auth.csrf_failed',
  'auth.password_too_weak',
  'auth.wrong_password',
  /** The new password is the current one (after an admin reset, keeping the temporary password would keep it known). */
  'auth.password_unchanged',
  'session.not_found',
  'remote.not_found',
  'internal',
  'user.not_found',
  'user.email_taken',
  'registry.not_found',
  'registry.version_exists',
  'registry.version_yanked',
  'registry.version_in_use',
  'registry.contract_incompatible',
  'registry.no_stable',
  'registry.no_rollback_target',
  'registry.hash_mismatch',
  'registry.blobs_missing',
  'registry.origin_not_allowed',
  'registry.origin_unreachable',
  'registry.token_invalid',
  'registry.token_scope',
  'request.idempotency_key_required',
  /**
   * The Idempotency-Key was already used for a request with a different body (422, as the IETF
   * draft "The Idempotency-Key HTTP Header Field" §2.7 advises): the new body was not applied.
   */
  'request.idempotency_key_reused',
  /** The client went away while its request body was still arriving (logged; no one reads the answer). */
  'request.aborted',
  'chat.not_found',
  'chat.answer_in_progress',
  'chat.no_running_answer',
  'chat.nothing_to_answer',
  'document.not_found',
  'document.duplicate',
  /** The command does not apply in the document's current status (retry a ready document, reindex a failed one). */
  'document.wrong_status',
  'token.not_found',
  /** A personal access token that is unknown, revoked, expired or lacks the scope (401 with WWW-Authenticate). */
  'token.invalid',
  'mcp.server_not_found',
  'mcp.server_name_taken',
  /** An MCP server URL that is not https/http, not on the allow-list, or resolves to a private address. */
  /** The external MCP server did not answer `tools/list` (registering or refreshing it). */
  'mcp.server_unreachable',
  /** No draft with this id that the caller may see (another user's draft looks exactly like a missing one). */
  'draft.not_found',
  /** The draft is no longer waiting for a decision (decided, withdrawn, expired or executing). */
  'draft.not_pending',
  /** The draft's time to be decided ran out (ATRIUM_DRAFT_TTL_MS). */
  'draft.expired',
  /** Nobody decides their own request. */
  'draft.own_request',
  /** One person gives at most one level of a draft. */
  'draft.already_decided',
  /** The caller's role is not among the roles of the level waiting for a decision. */
  'draft.wrong_level',
  /** Only the requester withdraws a draft. */
  'draft.not_requester',
  /** The requester already has ATRIUM_DRAFT_MAX_PENDING drafts waiting (429). */
  'draft.too_many_pending',
  /** A proposal's MCP server was removed or pointed elsewhere before it ran (the draft fails with it). */
  'draft.tool_changed',
  /** No tool of that name is enabled for the caller (issue 10). */
  'tool.unknown',
  /** A tool's result was larger than Atrium passes on (64 KiB of JSON). */
  'tool.result_too_large',
  /** The arguments fail the tool's input schema (or are not JSON). */
  'tool.invalid_arguments',
  /** The caller's role may not call or propose this tool. */
  'tool.forbidden',
  /** A `critical` tool (or one without approvals): only a person may do it, outside the agent. */
  'tool.needs_person',
  /** The tool ran longer than its timeout (ms) and was aborted. */
  'tool.timeout',
  /** The tool ran and failed; the message says why in words. */
  'tool.failed',
  /** An HTTP tool's URL: host not on ATRIUM_HTTP_TOOL_ALLOW_HOSTS, or it resolves to a non-public address. */
  'tool.url_not_allowed',
  /** An HTTP tool's input schema is not a JSON Schema we can validate with. */
  'tool.invalid_schema',
  /** An HTTP tool, or a built-in, already has this name. */
  'tool.name_taken',
  'tool.not_found',
  'ticket.not_found',
  /** A refund with this idempotency key exists already (the same draft executed twice is refused). */
  'ticket.refund_duplicate',
  /** 402: the route needs a paid feature the caller's plan lacks (`feature` in the body). */
  'entitlement.required',
  /** A billing webhook without a valid `Atrium-Signature`, or outside the 300 s tolerance. */
  'billing.signature_invalid',
  /** 503: ATRIUM_BILLING_WEBHOOK_SECRET is not set, so no webhook can be trusted. */
  'billing.not_configured',
  'agent.not_found',
  'agent.id_taken',
  /** Built-in agents can be edited but not deleted. */
  'agent.built_in',
  'flag.not_found',
  /** 403: the route is behind a feature flag that is off for the caller. */
  'flag.off',
  /** 429: the caller's monthly budget is spent (`Retry-After`: seconds to the month's end, UTC). */
  'budget.exceeded',
  /** 403: sign-in to a disabled account. */
  'auth.account_disabled',
  /** 403: the password was reset by an admin; only changing it is allowed. */
  'auth.password_change_required',
  /** An admin may not disable, delete or demote their own account. */
  'user.self_action',
  /** 409: the change would leave no enabled admin (disable, delete or demote the last one). */
  'user.last_admin',
  /** The registry requires signed releases (ATRIUM_REQUIRE_SIGNED_RELEASES) and the version has no signature. */
  'release.signature_required',
  /** The signature does not verify against any active key registered for the remote. */
  'release.signature_invalid',
  'signing_key.not_found',
  /** 400: not an ed25519 public key in SPKI PEM (a private key pasted by mistake included). */
  'signing_key.invalid',
  /** 409: the public key is registered already, for this or another remote (a key belongs to one remote). */
  'signing_key.exists',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const remoteNames = ['chat-core', 'auth-ui', 'admin', 'upload-ui'] as const;
export type RemoteName = (typeof remoteNames)[number];

/**
 * A remote's Module Federation container name (`chat-core` → `chat_core`): its federation
 * `name`, and what the shell registers it as. Not a global: see {@link containerCallback}.
 */
export function containerName(remote: RemoteName): string {
  return remote.replaceAll('-', '_');
}

/**
 * The one global a remote entry touches: a function the shell defines, which the entry calls
 * with its container (rspack `library: { type: 'jsonp' }`). The shell tells builds apart by the
 * `<script>` that made the call, so no build can leave a container where another build's load
 * would pick it up.
 */
export const containerCallback = '__atriumRemoteContainer';

/** Contract majors this shell build can mount, declared to the BFF (the compatibility gate). */
export const shellContracts: Record<RemoteName, number[]> = {
  'chat-core': [1],
  'auth-ui': [1],
  admin: [1],
  // upload-ui@2 needs `ApiClient.upload`; this shell still mounts a 1.x build too.
  'upload-ui': [1, 2],
};

export const roles = ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'] as const;
export type Role = (typeof roles)[number];

/**
 * Authorisation is data: each permission lists the roles that hold it.
 * The BFF enforces these on every route; the shell reads them only to hide what a role can't use.
 */
export const permissions = {
  'chat:use': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
  'uploads:use': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
  /** Publish a document to a shared audience, or change a document's audience (issue 9). */
  'documents:share': ['agent_l2', 'admin'],
  /** Opens the admin remote; each page inside needs its own permission (approvers see only Approvals). */
  'admin:view': ['approver', 'admin', 'ops'],
  'users:manage': ['admin'],
  'releases:read': ['admin', 'ops'],
  'releases:write': ['admin', 'ops'],
  'deploy_tokens:manage': ['admin'],
  'audit:read': ['admin', 'ops'],
  /** Configure tools: HTTP tools and external MCP servers, their risk and roles (issue 10). */
  'tools:manage': ['admin'],
  /** See the approvals queue and decide drafts at the levels that name one's role (issue 10). */
  'drafts:decide': ['approver', 'admin'],
  /** See the agent's tools, their risk and call statistics (issue 10). */
  'tools:read': ['admin', 'ops'],
  /** Read the tickets one may see (a `user` their own; support staff all): issue 10. */
  'tickets:read': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
  /** Grant or revoke paid features and plans (issue 11). */
  'billing:manage': ['admin'],
  /** Define and edit agent profiles (issue 11). */
  'agents:manage': ['admin'],
  /** Toggle and target feature flags (issue 11). */
  'flags:manage': ['admin'],
  /** Usage and cost totals, and the ops dashboards (issue 11). */
  'usage:read': ['admin', 'ops'],
  'dashboards:read': ['admin', 'ops'],
  /** Register and revoke a remote's release-signing keys (issue 11). */
  'signing_keys:manage': ['admin'],
  'telemetry:write': ['user', 'agent_l1', 'agent_l2', 'approver', 'admin', 'ops'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function roleHas(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/**
 * The flags the code reads (seeded by migration 0015, documented in docs/feature-flags.md); flags
 * are never created through the API, so each key here gates real behaviour.
 */
export const flagKeys = {
  /** Uploading documents: `POST /api/documents`, the shell's Documents entry and upload-ui's drop zone. */
  uploads: 'uploads',
  /** The MCP server at `/mcp`. */
  mcpServer: 'mcp.server',
  /** The agent is offered tools while it answers (off: it answers from the knowledge base alone). */
  agentTools: 'agent.tools',
} as const;

export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

export const bootElementId = 'atrium-boot';
/** The placeholder in the built index.html that the BFF replaces with the boot payload. */
export const bootPlaceholder = '<!--atrium-boot-->';

/**
 * An answer's life (bff/src/agent/answer-lifecycle.ts owns every move):
 * `pending → retrieving → streaming ⇄ calling_tool / awaiting_approval → complete | failed | stopped | interrupted`.
 * User messages are always `complete`. `awaiting_approval` is not running: a draft waits for
 * people, the user may keep chatting, and the answer continues once its drafts are settled.
 * `interrupted`: the instance writing it stopped (its error keeps the code `agent.interrupted`).
 */
export const messageStatuses = [
  'pending',
  'retrieving',
  'streaming',
  'calling_tool',
  'awaiting_approval',
  'complete',
  'failed',
  'stopped',
  'interrupted',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];
/** Statuses in which an instance is writing the answer (under a lease); at most one such answer per chat. */
export const runningMessageStatuses = ['pending', 'retrieving', 'streaming', 'calling_tool'] as const;

/**
 * The longest message a user can send, and the longest chat title: characters (Unicode code
 * points, as zod's `max` counts them) after trimming. Not `String.length` or a text box's
 * `maxLength`, which count an emoji twice. The BFF rejects more with `request.invalid`; the
 * composer counts towards it and says when a draft is over.
 */
export const messageMaxChars = 20_000;
export const chatTitleMaxChars = 200;

export const features = ['multi_agent'] as const;
export type Feature = (typeof features)[number];

/**
 * Agent profiles (issue 11): `support` is the default; using any other needs the `multi_agent`
 * entitlement.
 */
export const defaultAgentId = 'support';
export const builtInAgentIds = ['support', 'billing', 'technical'] as const;

/**
 * The `type` of every event on `GET /api/events` (./events.ts defines each event's shape; a
 * test there checks this list against it). The browser hands on events of these types and
 * ignores any other, e.g. one a newer BFF added.
 */
export const serverEventTypes = [
  'chat.created',
  'chat.updated',
  'chat.deleted',
  'message.created',
  'message.delta',
  'message.updated',
  'release.changed',
  'document.updated',
  'document.deleted',
  'draft.updated',
  'session.ended',
  'entitlement.updated',
  'flags.updated',
  'resync',
] as const;

/**
 * A response reader for `ApiClient` (`ResponseSchema<T>` in ./mount.ts) that takes the body of
 * a successful answer from our own BFF as the contract's type `T`, unchecked: the browser trusts
 * the BFF it was served by, and the BFF's own tests check its responses against the zod
 * schemas. `safeParse` is there for shells built before this reader existed, whose `upload`
 * called it.
 */
export function trustedResponse<T>(): {
  parse(body: unknown): T;
  safeParse(body: unknown): { success: true; data: T };
} {
  return { parse: (body) => body as T, safeParse: (body) => ({ success: true, data: body as T }) };
}
