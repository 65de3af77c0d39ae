import { describe, expect, it } from 'vitest';
import { billingSignature, signBillingPayload, verifyBillingSignature } from './billing-signature.js';

const secret = 'whsec_the_current_secret';
const body = '{"id":"evt_1"}';
const now = 1_900_000_000;
const verify = (header: string | undefined, raw = body, secrets = [secret]) =>
  verifyBillingSignature(header, raw, secrets, now, 300);

describe('the billing webhook signature (Stripe scheme: t=…,v1=HMAC-SHA256(secret, "t.body"))', () => {
  it('accepts a body signed with the secret within the tolerance', () => {
    expect(verify(signBillingPayload([secret], now, body))).toEqual({ ok: true });
    expect(verify(signBillingPayload([secret], now - 300, body))).toEqual({ ok: true });
  });

  it('matches an independent HMAC computation (what docs/billing-webhook.md shows with openssl)', () => {
    // printf '%s' '1900000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_the_current_secret
    expect(billingSignature(secret, now, body)).toBe(
      'd15ab5fe185f682a790495ce50e4d57b296ed1952d4c9cccb22de64b92193d99',
    );
  });

  it('refuses a missing or malformed header', () => {
    expect(verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verify('')).toEqual({ ok: false, reason: 'missing' });
    expect(verify(`t=${now}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(`v1=${billingSignature(secret, now, body)}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(`t=soon,v1=${billingSignature(secret, now, body)}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(`t=${now},v1=zz`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a stale or a future timestamp, even correctly signed', () => {
    expect(verify(signBillingPayload([secret], now - 301, body))).toEqual({ ok: false, reason: 'outside_tolerance' });
    expect(verify(signBillingPayload([secret], now + 301, body))).toEqual({ ok: false, reason: 'outside_tolerance' });
  });

  it('refuses another secret, a tampered body and a timestamp changed after signing', () => {
    expect(verify(signBillingPayload(['whsec_someone_else_entirely'], now, body))).toEqual({
      ok: false,
      reason: 'no_match',
    });
    expect(verify(signBillingPayload([secret], now, body), '{"id":"evt_2"}')).toEqual({
      ok: false,
      reason: 'no_match',
    });
    expect(verify(`t=${now - 1},v1=${billingSignature(secret, now, body)}`)).toEqual({ ok: false, reason: 'no_match' });
  });

  it('accepts any of several v1 (the provider rotating) and any of several secrets (us rotating); ignores other schemes', () => {
    const rotating = signBillingPayload(['whsec_the_old_secret_here', secret], now, body);
    expect(rotating.match(/v1=/g)).toHaveLength(2);
    expect(verify(rotating)).toEqual({ ok: true });
    expect(verify(signBillingPayload([secret], now, body), body, ['whsec_the_next_secret_here', secret])).toEqual({
      ok: true,
    });
    expect(verify(`t=${now},v0=${billingSignature(secret, now, body)}`)).toEqual({ ok: false, reason: 'malformed' });
  });
});
