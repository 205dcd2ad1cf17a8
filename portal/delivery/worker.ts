/**
 * The delivery worker: sends pending webhook deliveries (store.ts) to the linked delivery
 * services, one HTTP POST per attempt, and logs every attempt.
 *
 * - Source of truth is the database: the worker keeps no queue of its own, so deliveries
 *   queued before a restart (or while it was stopped) are picked up when it starts.
 * - 2xx → delivered. 4xx other than 408/429 → failed for good (the receiver refuses it).
 *   408, 429, 3xx (redirects are not followed), 5xx, timeouts and network errors → retried
 *   with exponential backoff and jitter: base·factor^(n−1), capped, ±jitter; Retry-After on
 *   429/503 is honoured up to the cap; after `maxAttempts` the delivery is failed.
 * - Every attempt is re-signed (fresh `t`), has its own timeout, and connects only to
 *   addresses the endpoint policy allows (endpoint.ts), checked on the resolved address.
 * - A deleted link gets nothing: deleting it cascades to its queued deliveries, an in-flight
 *   request for it is aborted, and an attempt that completes afterwards writes nothing.
 * - stop() aborts in-flight requests and logs them as interrupted (retried on the next start).
 *   Delivery is therefore at-least-once; receivers de-duplicate on X-Myna-Delivery.
 * - One worker per database: two portal processes on one data directory would both send.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Db } from '../db/database.ts';
import { addressAllowed, bareHost, DisallowedAddressError, type EndpointPolicy, guardedLookup } from './endpoint.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.ts';
import { type AttemptOutcome, type DueDelivery, dueDeliveries, nextDueAt, recordAttempt } from './store.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay after the first failed attempt, ms. */
  baseDelayMs: number;
  /** Each further delay is this many times the previous one. */
  factor: number;
  maxDelayMs: number;
  /** ± this fraction of the delay, at random (0 = none). */
  jitter: number;
}

/** 1 s, 4 s, 16 s, 64 s, 4 min 16 s, 17 min, 1 h: eight attempts over about 1.4 hours. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  factor: 4,
  maxDelayMs: 3600_000,
  jitter: 0.2,
};

export interface DeliveryOptions {
  /** Run the worker (default true). When false, deliveries are queued but not sent. */
  enabled?: boolean;
  /** Admit http:// and https:// endpoints on loopback (127.0.0.0/8, ::1, localhost). Tests only. */
  allowLoopback?: boolean;
  /** Admit https:// endpoints on private networks (RFC 1918, ULA, link-local). */
  allowPrivateNetworks?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Per attempt: connect, send, and receive the response status. Default 10 s. */
  timeoutMs?: number;
  /** Look for due deliveries at least this often. Default 5 s (new notices wake the worker at once). */
  pollIntervalMs?: number;
  /** Parallel requests. Default 4. */
  concurrency?: number;
}

export interface ResolvedDeliveryOptions {
  enabled: boolean;
  policy: EndpointPolicy;
  retry: RetryPolicy;
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
}

export function resolveDeliveryOptions(o: DeliveryOptions = {}): ResolvedDeliveryOptions {
  const retry = { ...DEFAULT_RETRY, ...o.retry };
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) throw new Error('retry.maxAttempts must be ≥ 1');
  if (!(retry.jitter >= 0 && retry.jitter < 1)) throw new Error('retry.jitter must be in [0, 1)');
  return {
    enabled: o.enabled ?? true,
    policy: { allowLoopback: o.allowLoopback ?? false, allowPrivateNetworks: o.allowPrivateNetworks ?? false },
    retry,
    timeoutMs: o.timeoutMs ?? 10_000,
    pollIntervalMs: o.pollIntervalMs ?? 5_000,
    concurrency: Math.max(1, o.concurrency ?? 4),
  };
}

/** The delay after failed attempt number `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = raw * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, raw + spread)));
}

/** Retry-After (seconds or HTTP date) → ms from `now`, if usable. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now.getTime());
}

export function classifyStatus(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'failed';
  return 'retry';
}

export interface WebhookResponse {
  status: number;
  retryAfter: string | undefined;
}

const USER_AGENT = 'MynaPortal-Delivery/1 (+https://github.com/myna-companion)';

/** One POST: resolves with the status as soon as the response head arrives (the body is discarded). */
export function postWebhook(
  endpoint: string,
  body: string,
  headers: Record<string, string>,
  o: { policy: EndpointPolicy; timeoutMs: number; signal: AbortSignal },
): Promise<WebhookResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const host = bareHost(url);
    if (isIP(host) !== 0 && !addressAllowed(host, o.policy)) {
      reject(new DisallowedAddressError(host, host));
      return;
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`no response within ${o.timeoutMs} ms`)), o.timeoutMs);
    const signal = AbortSignal.any([o.signal, deadline.signal]);
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(o.policy),
        signal,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': USER_AGENT,
          ...headers,
        },
      },
      (res) => {
        res.on('error', () => undefined);
        res.resume();
        const retryAfter = res.headers['retry-after'];
        settle(() => resolve({ status: res.statusCode ?? 0, retryAfter }));
      },
    );
    req.on('error', (e) =>
      settle(() => reject(signal.aborted && signal.reason instanceof Error ? signal.reason : (e as Error))),
    );
    req.end(body);
  });
}

interface InFlight {
  linkId: string;
  controller: AbortController;
  done: Promise<void>;
}

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const INTERRUPTED = 'interrupted: the portal stopped during the attempt';

export class DeliveryWorker {
  readonly #db: Db;
  readonly #now: () => Date;
  readonly #options: ResolvedDeliveryOptions;
  #log: WorkerLog | undefined;
  readonly #inflight = new Map<string, InFlight>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopping: Promise<void> | undefined;

  constructor(db: Db, now: () => Date, options: ResolvedDeliveryOptions, log?: WorkerLog) {
    this.#db = db;
    this.#now = now;
    this.#options = options;
    this.#log = log;
  }

  /** Where failures are reported (the portal's request logger, once the app exists). */
  setLog(log: WorkerLog): void {
    this.#log = log;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts sending (resumes whatever is pending). No-op when disabled or already running. */
  start(): void {
    if (!this.#options.enabled || this.#running || this.#stopping) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Something new may be due (a notice was created): look now rather than at the next poll. */
  wake(): void {
    if (this.#running) this.#schedule(0);
  }

  /** A link was deleted: abort its in-flight requests (their attempts are not logged). */
  linkDeleted(linkId: string): void {
    for (const f of this.#inflight.values()) if (f.linkId === linkId) f.controller.abort('link-deleted');
  }

  /** Stops polling, aborts in-flight requests (logged as interrupted), waits for them. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#running = false;
      clearTimeout(this.#timer);
      for (const f of this.#inflight.values()) f.controller.abort('stopping');
      await Promise.allSettled([...this.#inflight.values()].map((f) => f.done));
    })();
    return this.#stopping;
  }

  /** Resolves once nothing is in flight (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight.values()].map((f) => f.done));
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, ms));
    this.#timer.unref();
  }

  #tick(): void {
    if (!this.#running) return;
    const poll = this.#options.pollIntervalMs;
    try {
      const now = this.#now();
      const free = this.#options.concurrency - this.#inflight.size;
      if (free > 0) {
        for (const d of dueDeliveries(this.#db, now.toISOString(), free, new Set(this.#inflight.keys()))) {
          this.#launch(d);
        }
      }
      if (this.#inflight.size >= this.#options.concurrency) {
        this.#schedule(poll); // a finishing attempt reschedules at once
        return;
      }
      const next = nextDueAt(this.#db, new Set(this.#inflight.keys()));
      const wait = next === undefined ? poll : Math.min(poll, Date.parse(next) - this.#now().getTime());
      this.#schedule(Math.max(wait, 10));
    } catch (e) {
      this.#log?.error({ err: e }, 'delivery worker: tick failed');
      this.#schedule(poll);
    }
  }

  #launch(d: DueDelivery): void {
    const controller = new AbortController();
    const entry: InFlight = { linkId: d.link_id, controller, done: Promise.resolve() };
    this.#inflight.set(d.id, entry);
    entry.done = this.#attempt(d, controller.signal)
      .catch((e) => this.#log?.error({ err: e, delivery: d.id }, 'delivery worker: attempt failed'))
      .finally(() => {
        this.#inflight.delete(d.id);
        this.#schedule(0);
      });
  }

  async #attempt(d: DueDelivery, signal: AbortSignal): Promise<void> {
    const { retry, timeoutMs, policy } = this.#options;
    const started = this.#now();
    const t0 = performance.now();
    const attempt = d.attempt_count + 1;
    let statusCode: number | null = null;
    let outcome: AttemptOutcome;
    let error: string | null = null;
    let retryAfter: number | undefined;
    try {
      const r = await postWebhook(
        d.endpoint,
        d.payload,
        {
          [DELIVERY_HEADER]: d.id,
          [EVENT_HEADER]: d.event_type,
          [SIGNATURE_HEADER]: signWebhook(d.secret, d.payload, started),
        },
        { policy, timeoutMs, signal },
      );
      statusCode = r.status;
      outcome = classifyStatus(r.status);
      if (outcome === 'failed') error = `HTTP ${r.status}: the delivery service refused the delivery`;
      else if (outcome === 'retry') error = `HTTP ${r.status}`;
      if (r.status === 429 || r.status === 503) retryAfter = retryAfterMs(r.retryAfter, this.#now());
    } catch (e) {
      if (signal.reason === 'link-deleted') return; // its rows are gone with the link
      outcome = 'retry';
      error = signal.reason === 'stopping' ? INTERRUPTED : describeError(e);
    }
    const finished = this.#now();
    const durationMs = performance.now() - t0;
    let nextAttemptAt: string | null = null;
    let finalReason: string | null = null;
    if (outcome === 'delivered') finalReason = `HTTP ${statusCode} on attempt ${attempt}`;
    else if (outcome === 'failed') finalReason = error;
    else if (error === INTERRUPTED) nextAttemptAt = finished.toISOString();
    else if (attempt >= retry.maxAttempts) {
      outcome = 'failed';
      finalReason = `gave up after ${attempt} attempts (last: ${error})`;
    } else {
      const delay = Math.min(retry.maxDelayMs, Math.max(backoffDelay(retry, attempt), retryAfter ?? 0));
      nextAttemptAt = new Date(finished.getTime() + delay).toISOString();
    }
    const written = recordAttempt(this.#db, {
      deliveryId: d.id,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs,
      statusCode,
      outcome,
      error,
      nextAttemptAt,
      finalReason,
    });
    if (written && outcome !== 'delivered') {
      this.#log?.warn(
        { delivery: d.id, link: d.link_id, attempt, statusCode, error, nextAttemptAt },
        outcome === 'failed' ? 'webhook delivery failed' : 'webhook delivery will be retried',
      );
    }
  }
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const msg = err?.message ?? String(e);
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const text = code && !msg.includes(code) ? `${code}: ${msg}` : msg;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
