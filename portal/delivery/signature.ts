/**
 * Webhook signatures of 民間送達サービス連携 — what the portal sends and how a delivery service
 * checks it. Every POST carries
 *
 *   X-Myna-Delivery:  dlv_…                       (this delivery; the same on every retry)
 *   X-Myna-Event:     notice.created
 *   X-Myna-Signature: t=1767225600,v1=5f1c…       (t = Unix seconds when this attempt was signed)
 *
 * where v1 = lower-case hex HMAC-SHA256(key = the link's secret as UTF-8,
 *                                       message = `${t}.` + the raw request body bytes).
 *
 * How a delivery service verifies (verifyWebhookSignature below is a reference implementation):
 *  1. Read the body as raw bytes — do NOT re-serialise parsed JSON; the MAC covers the bytes.
 *  2. Parse the header: exactly one `t=` (decimal), one or more `v1=` (64 hex each; several
 *     while the portal rotates a secret; unknown schemes such as `v0=` are ignored).
 *  3. Replay window: refuse when |now − t| > 300 s (the portal re-signs every attempt, so a
 *     retry is always fresh; a captured request stops working after five minutes).
 *  4. Compute the HMAC and compare with each v1 in constant time (crypto.timingSafeEqual).
 *  5. De-duplicate on X-Myna-Delivery (or the body's `id` per endpoint): delivery is
 *     at-least-once — a retry after a timeout, or after the portal restarted mid-attempt, repeats
 *     a delivery that may already have arrived. Keep the ids seen within the replay window (at
 *     least) and answer 2xx to a duplicate without acting on it again.
 *  6. Answer 2xx quickly (queue the work). 4xx other than 408/429 tells the portal to give up
 *     on this delivery; 408, 429 (Retry-After honoured), 5xx, 3xx and timeouts make it retry.
 *
 * The secret is stored server-side, in the portal's database, in the clear: the portal must
 * produce HMACs with it, so it cannot keep a hash. Deleting the link deletes the secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-myna-signature';
export const DELIVERY_HEADER = 'x-myna-delivery';
export const EVENT_HEADER = 'x-myna-event';

/** The replay window a receiver should apply (seconds either side of its clock). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const HEX64 = /^[0-9a-f]{64}$/;

export function webhookMac(secret: string, timestamp: number, body: string | Uint8Array): string {
  const h = createHmac('sha256', Buffer.from(secret, 'utf8'));
  h.update(`${timestamp}.`, 'utf8');
  h.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return h.digest('hex');
}

/** The X-Myna-Signature value for one attempt. */
export function signWebhook(secret: string, body: string | Uint8Array, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${webhookMac(secret, t, body)}`;
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch'; message: string };

/**
 * The receiving side's check (reference implementation for delivery services; the tests use it).
 * `body` must be the raw bytes as received.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string | Uint8Array,
  secret: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): WebhookVerification {
  if (!header || header.length > 1024) return { ok: false, reason: 'malformed', message: 'no usable signature header' };
  let t: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed', message: `not key=value: ${JSON.stringify(part)}` };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined || !/^\d{1,12}$/.test(value)) {
        return { ok: false, reason: 'malformed', message: 'exactly one decimal t= is required' };
      }
      t = Number(value);
    } else if (key === 'v1') {
      if (!HEX64.test(value)) return { ok: false, reason: 'malformed', message: 'v1 must be 64 lower-case hex' };
      macs.push(value);
    }
  }
  if (t === undefined || macs.length === 0) {
    return { ok: false, reason: 'malformed', message: 'the header needs t= and at least one v1=' };
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - t) > tolerance) {
    return { ok: false, reason: 'stale', message: `signed at ${t}, now ${now}: outside the ±${tolerance} s window` };
  }
  const expected = Buffer.from(webhookMac(secret, t, body), 'hex');
  const match = macs.some((m) => timingSafeEqual(Buffer.from(m, 'hex'), expected));
  return match ? { ok: true, timestamp: t } : { ok: false, reason: 'mismatch', message: 'no v1 matches the body' };
}
