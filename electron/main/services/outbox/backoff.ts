/** Exponential backoff with jitter (pure: the random draw is an argument). */
import type { BackoffPolicy } from './types.ts';

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  baseMs: 10_000,
  factor: 2,
  maxMs: 60 * 60_000,
  jitter: 0.5,
  maxAutomaticAttempts: 20,
  maxRetryAfterMs: 6 * 60 * 60_000,
});

export function backoffPolicy(overrides: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const p = { ...DEFAULT_BACKOFF, ...overrides };
  if (!(p.baseMs > 0) || !(p.factor >= 1) || !(p.maxMs >= p.baseMs) || !(p.jitter >= 0 && p.jitter <= 1)) {
    throw new RangeError('backoff: need baseMs > 0, factor ≥ 1, maxMs ≥ baseMs, 0 ≤ jitter ≤ 1');
  }
  if (!Number.isInteger(p.maxAutomaticAttempts) || p.maxAutomaticAttempts < 1) {
    throw new RangeError('backoff: maxAutomaticAttempts must be a positive integer');
  }
  return p;
}

/**
 * The wait after the `failures`-th failed attempt in a row (1 = the first failure):
 * min(maxMs, baseMs·factor^(failures−1)), reduced by up to `jitter` of itself using `r` ∈ [0, 1),
 * and never shorter than the server's Retry-After (capped at maxRetryAfterMs).
 */
export function backoffDelay(policy: BackoffPolicy, failures: number, r: number, retryAfterMs?: number): number {
  const n = Math.max(1, Math.floor(failures));
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** (n - 1));
  const jittered = Math.round(raw * (1 - policy.jitter * Math.min(Math.max(r, 0), 1)));
  const server =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.min(retryAfterMs, policy.maxRetryAfterMs)
      : 0;
  return Math.max(jittered, server);
}
