/**
 * TEST-ONLY helpers for the outbox tests (imported by *.test.ts and test-fixtures.ts, never by
 * the service): a fake clock, a scripted deliverer, a deterministic random source, and a demo
 * resident logged in through main's PortalSession.
 */
import { type Challenge, loginBody } from '../../../../portal/service/test-support.ts';
import type { RunningPortal } from '../../../../portal/start.ts';
import { PortalSession } from '../../portal/portal-session.ts';
import type { Deliver, DeliveryOutcome, DeliveryRequest, OutboxClock } from './types.ts';

/** Timers that fire only when the test advances time. */
export class FakeClock implements OutboxClock {
  private t: number;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.parse('2026-11-27T09:00:00.000Z')) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.queue.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  };

  clearTimeout = (h: unknown): void => {
    this.queue.delete(h as number);
  };

  /** Pending timers, soonest first, as offsets from now. */
  get pending(): number[] {
    return [...this.queue.values()].map((e) => e.at - this.t).sort((a, b) => a - b);
  }

  /** Moves time forward, firing every timer that comes due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.queue) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.queue.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}

/** Random bytes from a counter: ids differ, runs repeat. `fill` fixes the jitter draw. */
export function countingRandom(fill?: number): (n: number) => Uint8Array {
  let c = 0;
  return (n) => {
    const b = new Uint8Array(n);
    if (n === 4 && fill !== undefined) return b.fill(fill);
    c++;
    for (let i = 0; i < n; i++) b[i] = (c * 31 + i * 7) & 0xff;
    b[0] = c & 0xff;
    b[1] = (c >> 8) & 0xff;
    return b;
  };
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface ScriptedDeliver {
  deliver: Deliver;
  calls: DeliveryRequest[];
  /** Outcomes to give, in order; the last one repeats. A function is called with the request. */
  script: (DeliveryOutcome | ((r: DeliveryRequest) => Promise<DeliveryOutcome>))[];
}

export function scriptedDeliver(...script: ScriptedDeliver['script']): ScriptedDeliver {
  const s: ScriptedDeliver = {
    calls: [],
    script,
    deliver: async (r) => {
      s.calls.push({ idempotencyKey: r.idempotencyKey, packageBytes: r.packageBytes });
      const step = s.script.length > 1 ? s.script.shift() : s.script[0];
      if (step === undefined) throw new Error('no outcome scripted');
      return typeof step === 'function' ? step(r) : step;
    },
  };
  return s;
}

export const delivered = (receiptNumber = 'R8-131016-000001'): DeliveryOutcome => ({
  kind: 'delivered',
  receipt: { receiptNumber, status: 'received', receivedAt: '2026-11-27T09:00:01.000Z' },
});

export const retryable = (code = 'PORTAL_ERROR', retryAfterMs?: number): DeliveryOutcome => ({
  kind: 'retry',
  code,
  message: { ja: '一時的なエラー', en: 'temporary error' },
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/**
 * Logs a demo resident in exactly as the app does — challenge, the card's signature over
 * challenge ‖ origin (the portal's test-support signs with the demo auth key), login — so that
 * the session cookie lands in the session's own jar.
 */
export async function logIn(session: PortalSession, expectedOrigin: string, residentId = 'resident-01'): Promise<void> {
  const ch = await session.fetch('/api/v1/auth/challenge', { method: 'POST' });
  if (ch.status !== 201) throw new Error(`challenge: ${ch.status} ${await ch.text()}`);
  const body = loginBody({ expectedOrigin } as RunningPortal, (await ch.json()) as Challenge, residentId);
  const r = await session.fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`login ${residentId}: ${r.status} ${await r.text()}`);
  if (!session.hasSessionCookie()) throw new Error('login gave no session cookie');
}

export async function loggedInSession(portal: Pick<RunningPortal, 'url' | 'expectedOrigin'>, residentId?: string) {
  const session = new PortalSession(portal.url);
  await logIn(session, portal.expectedOrigin, residentId);
  return session;
}
