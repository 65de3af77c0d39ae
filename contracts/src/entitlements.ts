import { z } from 'zod';
import { type Feature, features } from './values.js';

/**
 * Paid features (issue 11). A user's entitlements are the features of their plan plus any an
 * admin granted, minus any an admin revoked. Plans are per user; there are no teams yet.
 * Every gated route is enforced by the BFF: 402 `entitlement.required`.
 */
export const featureSchema = z.enum(features);

export const plans = ['free', 'pro'] as const;
export const planSchema = z.enum(plans);
export type Plan = z.infer<typeof planSchema>;
/** What each plan includes. */
export const planFeatures: Record<Plan, readonly Feature[]> = { free: [], pro: ['multi_agent'] };

/** An admin override on top of the plan: `grant` adds a feature, `revoke` removes it. */
export const entitlementOverrideSchema = z.object({
  feature: featureSchema,
  effect: z.enum(['grant', 'revoke']),
  reason: z.string(),
  actorId: z.string(),
  at: z.string(),
});

export const userEntitlementsSchema = z.object({
  userId: z.string(),
  plan: planSchema,
  /** Where the plan came from: the billing provider's webhook or an admin. */
  planSource: z.enum(['default', 'billing', 'admin']),
  overrides: z.array(entitlementOverrideSchema),
  /** The effective features: plan features ∪ grants − revokes. */
  features: z.array(featureSchema),
  updatedAt: z.string(),
});
export type UserEntitlements = z.infer<typeof userEntitlementsSchema>;
export const userEntitlementsResponseSchema = z.object({ entitlements: userEntitlementsSchema });

/** `PUT /api/users/:id/entitlements` (permission `billing:manage`): set the plan and/or one override, with a reason. */
export const changeEntitlementsRequestSchema = z
  .object({
    plan: planSchema.optional(),
    /** `inherit` removes an override so the plan decides again. */
    feature: z.object({ feature: featureSchema, effect: z.enum(['grant', 'revoke', 'inherit']) }).optional(),
    reason: z.string().trim().min(3).max(500),
  })
  .refine((b) => b.plan !== undefined || b.feature !== undefined, 'nothing to change');
export type ChangeEntitlementsRequest = z.infer<typeof changeEntitlementsRequestSchema>;

/**
 * `POST /api/billing/webhook`: a payment provider's event. Signed with the header
 * `Atrium-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, the
 * scheme of Stripe's `Stripe-Signature` (several `v1=` are allowed, for secret rotation); the
 * timestamp must be within 300 s (Stripe's default tolerance). Idempotent on `id`; an event
 * older (`created`) than the last one applied to that user changes nothing (providers deliver
 * out of order). A Stripe adapter maps `customer.subscription.*` to these two types.
 */
/** The latest `created` a billing event may carry: 9999-12-31T23:59:59Z in Unix seconds. */
export const billingEventCreatedMaxSeconds = 253402300799;

export const billingWebhookEventSchema = z.object({
  id: z.string().trim().min(1).max(255),
  type: z.enum(['subscription.updated', 'subscription.deleted']),
  /**
   * Unix seconds when the provider created the event; at most 253402300799 (9999-12-31T23:59:59Z),
   * so it always converts to a Date. The webhook also refuses one later than its clock plus the
   * signature tolerance (docs/billing-webhook.md).
   */
  created: z.number().int().positive().max(billingEventCreatedMaxSeconds),
  data: z.object({
    userId: z.uuid(),
    plan: planSchema,
    status: z.enum(['active', 'trialing', 'past_due', 'canceled', 'unpaid']),
  }),
});
export type BillingWebhookEvent = z.infer<typeof billingWebhookEventSchema>;
export const billingWebhookResponseSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });

/** `GET /api/entitlements` (permission `billing:manage`): every user's entitlements, for the admin Plans page. */
export const userEntitlementsListResponseSchema = z.object({ entitlements: z.array(userEntitlementsSchema) });

/** The body of 402 `entitlement.required`: which feature the route needs. */
export const entitlementRequiredErrorSchema = z.object({
  code: z.literal('entitlement.required'),
  message: z.string(),
  feature: featureSchema,
});
