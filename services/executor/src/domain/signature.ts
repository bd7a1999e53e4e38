import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `Maestro-Signature: t=<epoch seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * The timestamp is inside the signed text, so a receiver that refuses timestamps older than its
 * tolerance refuses a replayed request, and one that changed a byte of the body or the time fails
 * the comparison. Same scheme as Stripe's, so receivers have libraries for it.
 */
export const SIGNATURE_HEADER = 'maestro-signature';

export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * What a receiver does: parse the header, refuse a timestamp further than `toleranceMs` from its
 * clock (replay), and compare the HMAC in constant time.
 */
export function verifySignature(secret: string, header: string | undefined, body: string, nowMs: number, toleranceMs = 300_000): SignatureCheck {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = new Map(header.split(',').map((p) => {
    const at = p.indexOf('=');
    return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
  }));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isSafeInteger(t) || !v1) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(nowMs - t * 1000) > toleranceMs) return { ok: false, reason: `timestamp ${t} is outside the ${toleranceMs} ms tolerance (a replay?)` };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  const given = Buffer.from(v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match the body' };
  return { ok: true };
}

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}
