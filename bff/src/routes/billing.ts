import { billingWebhookEventSchema, billingWebhookResponseSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import { recordAudit } from '../audit/audit-log.js';
import { billingSignatureHeader, verifyBillingSignature } from '../entitlements/billing-signature.js';
import { applyBillingEvent } from '../entitlements/store.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { withEvents } from '../realtime/event-log.js';
import { respond } from '../respond.js';

export const billingWebhookPath = '/api/billing/webhook';

/**
 * `POST /api/billing/webhook`: the payment provider's subscription events (contract
 * `billingWebhookEventSchema`; signing and delivery: docs/billing-webhook.md). No session and no
 * CSRF token: the `Atrium-Signature` HMAC over the raw body is the authentication.
 *
 * 200 `{ received: true, duplicate }`: applied, or recorded without a change (an event id seen
 * before: `duplicate: true`; an event older than the user's newest; an unknown user — logged as a
 * warning, since a provider retries anything but 2xx for days). 400 `billing.signature_invalid`
 * (missing, malformed, outside ATRIUM_BILLING_WEBHOOK_TOLERANCE_SECONDS, or no match), 400
 * `request.invalid` (not JSON, not the contract's shape, or `created` later than now plus the
 * tolerance — such an event would make every later real one stale), 413 `request.too_large` (above
 * ATRIUM_BODY_LIMIT_KB), 503 `billing.not_configured` (ATRIUM_BILLING_WEBHOOK_SECRET unset).
 * A plan change is audited (`entitlement.plan_changed`, no actor) and pushes `entitlement.updated`
 * to the user in the same transaction.
 */
export const billingRoutes = new Hono<AppEnv>().post(billingWebhookPath, async (c) => {
  const deps = c.get('deps');
  const { webhookSecrets, toleranceSeconds } = deps.config.billing;
  if (webhookSecrets.length === 0) {
    throw new AppError('billing.not_configured', 503, 'The billing webhook has no secret configured.');
  }
  const raw = await c.req.text();
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const check = verifyBillingSignature(
    c.req.header(billingSignatureHeader),
    raw,
    webhookSecrets,
    nowSeconds,
    toleranceSeconds,
  );
  if (!check.ok) {
    c.get('logger').warn('billing webhook refused', { requestId: c.get('requestId'), reason: check.reason });
    throw new AppError('billing.signature_invalid', 400, 'The Atrium-Signature header does not verify.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('request.invalid', 400, 'The body is not JSON.');
  }
  const event = billingWebhookEventSchema.parse(json);
  // An event from the future would be applied and then make every real event look stale,
  // freezing the plan: the provider's clock may be ahead by the signature tolerance, no more.
  if (event.created > nowSeconds + toleranceSeconds) {
    throw new AppError(
      'request.invalid',
      400,
      `The event's created (${event.created}) is later than this server's clock (${nowSeconds}) plus the ${toleranceSeconds} s tolerance.`,
      [{ path: 'created', message: `later than ${nowSeconds + toleranceSeconds}` }],
    );
  }
  const userId = event.data.userId;
  const outcome = await withEvents(
    deps,
    async (tx, emit) => {
      const result = await applyBillingEvent(tx, event, now);
      if (!result.duplicate && result.outcome === 'applied' && result.before !== result.after) {
        await recordAudit(tx, {
          at: now,
          actorId: null,
          action: 'entitlement.plan_changed',
          target: `user:${userId}`,
          detail: {
            actor: 'billing',
            from: result.before,
            to: result.after,
            source: 'billing',
            eventId: event.id,
            type: event.type,
          },
          requestId: c.get('requestId'),
        });
        await emit.toUser(userId, { type: 'entitlement.updated', userId });
      }
      return result;
    },
    // Before the event goes out: a tab refetching /api/me on hearing it reads the new plan on any instance.
    async (result) => {
      if (!result.duplicate && result.outcome === 'applied') await deps.entitlements.changed(userId);
    },
  );
  if (!outcome.duplicate && outcome.outcome === 'unknown_user') {
    c.get('logger').warn('billing event for an unknown user recorded', { eventId: event.id, userId });
  }
  return respond(c, billingWebhookResponseSchema, { received: true, duplicate: outcome.duplicate });
});
