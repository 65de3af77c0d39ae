import { z } from 'zod';

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

export const apiErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  requestId: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
