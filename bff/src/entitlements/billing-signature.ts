import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a billing webhook is signed in (Stripe's `Stripe-Signature` scheme, our name). */
export const billingSignatureHeader = 'atrium-signature';

/** Hex HMAC-SHA256 of `"<t>.<raw body>"` with `secret`: the `v1` value of the header. */
export function billingSignature(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** A header value for `rawBody` signed at `timestamp` (unix seconds) with each of `secrets` (rotation: several `v1`). */
export function signBillingPayload(secrets: readonly string[], timestamp: number, rawBody: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${billingSignature(s, timestamp, rawBody)}`)].join(',');
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'outside_tolerance' | 'no_match' };

/**
 * Verifies `Atrium-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]` over the raw body, as Stripe
 * does: the timestamp must be within `toleranceSeconds` of `nowSeconds` either way (a replay of an
 * old delivery, or a forged future one, is refused), and one `v1` must equal the HMAC under one of
 * `secrets` (compared in constant time). Unknown schemes (`v0=`…) are ignored.
 */
export function verifyBillingSignature(
  header: string | undefined,
  rawBody: string,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === null || candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'outside_tolerance' };
  for (const secret of secrets) {
    const expected = Buffer.from(billingSignature(secret, timestamp, rawBody), 'hex');
    if (candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected))) return { ok: true };
  }
  return { ok: false, reason: 'no_match' };
}
