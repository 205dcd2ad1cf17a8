/**
 * The outbox's real `deliver`: POST /api/v1/me/applications on the configured portal, through
 * main's PortalSession (the resident's session cookie), with the item's Idempotency-Key and the
 * package bytes as the body (portal/service/routes/applications.ts).
 *
 *   201 / 200 (a repeat of the same key)  → delivered, receipt {receiptNumber, status, receivedAt}
 *   401                                   → needs-login (no request at all without a session cookie)
 *   403 SIGNER_NOT_RESIDENT                → needs-login: signed by someone other than the resident
 *                                          logged in (a shared PC); it waits for the signer's login
 *                                          rather than being dropped, and nothing is lost
 *   429, 408, 503 …                       → retry, after Retry-After when the portal gives one
 *   5xx, network error, timeout            → retry (same key: the portal cannot store it twice)
 *   other 4xx with a problem document     → rejected with the problem's `code` (PACKAGE_INVALID,
 *                                          APPLICATION_FORM_INVALID,
 *                                          PROCEDURE_NOT_AVAILABLE, IDEMPOTENCY_KEY_CONFLICT…)
 *   a 4xx that is not a problem document, a 3xx, an unreadable 2xx
 *                                        → retry: it is not our portal speaking (a proxy, a captive
 *                                          portal, a misconfiguration), so it says nothing about
 *                                          the package.
 */
import type { PortalSession } from '../../portal/portal-session.ts';
import { PACKAGE_MEDIA_TYPE } from '../signing/package-limits.ts';
import { LOCAL_MESSAGES, type LocalCode, rejectionMessage } from './messages.ts';
import type { Deliver, DeliveryOutcome, Receipt } from './types.ts';

export const APPLICATIONS_PATH = '/api/v1/me/applications';

export interface PortalDelivererOptions {
  /** The whole exchange, upload included. Default 120 s (packages go up to 32 MB). */
  timeoutMs?: number;
  /** For Retry-After given as an HTTP date. */
  now?: () => number;
}

const retry = (code: LocalCode, retryAfterMs?: number): DeliveryOutcome =>
  retryAfterMs === undefined
    ? { kind: 'retry', code, message: { ...LOCAL_MESSAGES[code] } }
    : { kind: 'retry', code, message: { ...LOCAL_MESSAGES[code] }, retryAfterMs };

/** Retry-After: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  if (!/^[A-Za-z]{3},/.test(v)) return undefined; // IMF-fixdate: "Fri, 27 Nov 2026 09:00:00 GMT"
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

type Json = Record<string, unknown>;

async function readJson(res: Response): Promise<Json | undefined> {
  try {
    const v: unknown = await res.json();
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

function receiptOf(body: Json | undefined): Receipt | undefined {
  if (!body) return undefined;
  const { receiptNumber, status, receivedAt } = body;
  if (typeof receiptNumber !== 'string' || receiptNumber.length === 0 || receiptNumber.length > 64) return undefined;
  if (typeof status !== 'string' || status.length === 0 || status.length > 32) return undefined;
  if (typeof receivedAt !== 'string' || receivedAt.length > 40 || Number.isNaN(Date.parse(receivedAt))) {
    return undefined;
  }
  return { receiptNumber, status, receivedAt };
}

const isProblem = (res: Response) =>
  (res.headers.get('content-type') ?? '').toLowerCase().startsWith('application/problem+json');

export function portalDeliverer(session: PortalSession, options: PortalDelivererOptions = {}): Deliver {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const now = options.now ?? (() => Date.now());

  return async ({ idempotencyKey, packageBytes }) => {
    if (!session.hasSessionCookie()) {
      return { kind: 'needs-login', code: 'NEEDS_LOGIN', message: { ...LOCAL_MESSAGES.NEEDS_LOGIN } };
    }
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let body: Json | undefined;
    try {
      res = await session.fetch(APPLICATIONS_PATH, {
        method: 'POST',
        headers: {
          'content-type': PACKAGE_MEDIA_TYPE,
          'idempotency-key': idempotencyKey,
          accept: 'application/json, application/problem+json',
        },
        // A view of the same memory, typed as fetch wants it (no copy of a 32 MB package).
        body: new Uint8Array(packageBytes.buffer as ArrayBuffer, packageBytes.byteOffset, packageBytes.byteLength),
        signal,
      });
      body = await readJson(res);
    } catch {
      return retry(signal.aborted ? 'PORTAL_TIMEOUT' : 'PORTAL_UNREACHABLE');
    }

    const s = res.status;
    if (s === 200 || s === 201) {
      const receipt = receiptOf(body);
      return receipt ? { kind: 'delivered', receipt } : retry('RECEIPT_UNREADABLE');
    }
    const code = isProblem(res) && typeof body?.code === 'string' ? body.code : undefined;
    if (s === 401) {
      return { kind: 'needs-login', code: code ?? 'NEEDS_LOGIN', message: { ...LOCAL_MESSAGES.NEEDS_LOGIN } };
    }
    if (code === 'SIGNER_NOT_RESIDENT') {
      return { kind: 'needs-login', code, message: { ...LOCAL_MESSAGES.WAITING_FOR_SIGNER } };
    }
    const retryAfter =
      parseRetryAfter(res.headers.get('retry-after'), now()) ??
      (typeof body?.retryAfter === 'number' && body.retryAfter > 0 ? body.retryAfter * 1000 : undefined);
    if (s === 429) return retry('PORTAL_BUSY', retryAfter);
    if (s === 408 || s === 425) return retry('PORTAL_TIMEOUT', retryAfter);
    if (s >= 500) return retry('PORTAL_ERROR', retryAfter);
    if (s >= 400 && code !== undefined) {
      return { kind: 'rejected', code, message: rejectionMessage(code, body?.title, body?.titleJa) };
    }
    return retry('PORTAL_UNEXPECTED', retryAfter);
  };
}
