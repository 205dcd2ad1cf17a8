import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffPolicy, DEFAULT_BACKOFF } from './backoff.ts';

describe('backoff', () => {
  const p = backoffPolicy({ baseMs: 1000, factor: 2, maxMs: 10_000, jitter: 0.5 });

  it('doubles from the base up to the cap (no jitter drawn)', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(p, n, 0))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  it('jitter takes up to `jitter` of the delay off, never more', () => {
    expect(backoffDelay(p, 3, 0.5)).toBe(3000);
    expect(backoffDelay(p, 3, 0.999999)).toBe(2000);
    for (let r = 0; r < 1; r += 0.01) {
      const d = backoffDelay(p, 4, r);
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('a server’s Retry-After wins when longer, within its own cap', () => {
    expect(backoffDelay(p, 1, 0, 30_000)).toBe(30_000);
    expect(backoffDelay(p, 4, 0, 100)).toBe(8000);
    expect(backoffDelay(p, 1, 0, 10 * 24 * 3600_000)).toBe(DEFAULT_BACKOFF.maxRetryAfterMs);
    expect(backoffDelay(p, 1, 0, Number.NaN)).toBe(1000);
  });

  it('treats nonsense failure counts and draws safely', () => {
    expect(backoffDelay(p, 0, 0)).toBe(1000);
    expect(backoffDelay(p, -3, 0)).toBe(1000);
    expect(backoffDelay(p, 2, 7)).toBe(1000);
    expect(backoffDelay(p, 2, -1)).toBe(2000);
  });

  it('the defaults keep trying for about half a day before pausing', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_BACKOFF.maxAutomaticAttempts; n++) total += backoffDelay(DEFAULT_BACKOFF, n, 0);
    expect(total / 3600_000).toBeGreaterThan(10);
    expect(total / 3600_000).toBeLessThan(16);
  });

  it('refuses a policy that makes no sense', () => {
    expect(() => backoffPolicy({ baseMs: 0 })).toThrow(RangeError);
    expect(() => backoffPolicy({ factor: 0.5 })).toThrow(RangeError);
    expect(() => backoffPolicy({ maxMs: 1 })).toThrow(RangeError);
    expect(() => backoffPolicy({ jitter: 2 })).toThrow(RangeError);
    expect(() => backoffPolicy({ maxAutomaticAttempts: 0 })).toThrow(RangeError);
  });
});
