/** The outbox's types: what a delivery attempt can come back with, and the injectable clock. */
import type { z } from 'zod';
import type { ReceiptSchema } from '../../../ipc/contract.ts';

export type Receipt = z.output<typeof ReceiptSchema>;

export interface LocalText {
  ja: string;
  en: string;
}

/**
 * What one attempt to hand a package to the portal came to.
 * - delivered: the portal stored it (201) or had already stored it under this key (200);
 * - needs-login: the portal wants a session first; the item waits for resumeAfterLogin();
 * - rejected: the portal refused the package itself (signature, signer, form…): never retried;
 * - retry: nothing definite (network, timeout, 5xx, 429…): try again later, with the same key.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; receipt: Receipt }
  | { kind: 'needs-login'; code: string; message: LocalText }
  | { kind: 'rejected'; code: string; message: LocalText }
  | { kind: 'retry'; code: string; message: LocalText; retryAfterMs?: number };

export interface DeliveryRequest {
  /** Made once at enqueue (UUID v4) and reused by every attempt: the portal stores it once. */
  idempotencyKey: string;
  packageBytes: Uint8Array;
}

export type Deliver = (request: DeliveryRequest) => Promise<DeliveryOutcome>;

/** Time and timers; tests pass a fake one. `now()` in milliseconds since the epoch. */
export interface OutboxClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BackoffPolicy {
  /** Delay after the first failed attempt. Default 10 s. */
  baseMs: number;
  /** Growth per failed attempt. Default 2. */
  factor: number;
  /** The longest delay between two automatic attempts. Default 1 h. */
  maxMs: number;
  /** 0…1: the delay is drawn from [d·(1−jitter), d]. Default 0.5. */
  jitter: number;
  /**
   * Automatic attempts in a row before the outbox stops trying by itself. The item is NOT
   * dropped: it stays pending, visible with its last error and no next attempt, until the
   * resident retries it (or the app restarts). Default 20 (about half a day at the defaults).
   */
  maxAutomaticAttempts: number;
  /** A server's Retry-After is honoured up to this. Default 6 h. */
  maxRetryAfterMs: number;
}
