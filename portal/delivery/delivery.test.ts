/**
 * The pure parts of 民間送達サービス連携: which endpoints are accepted (SSRF guard), the
 * signature scheme against an independent HMAC, the retry schedule, status classification.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyAddress, DisallowedAddressError, endpointProblem, guardedLookup } from './endpoint.ts';
import { signWebhook, verifyWebhookSignature } from './signature.ts';
import { backoffDelay, classifyStatus, DEFAULT_RETRY, postWebhook, retryAfterMs } from './worker.ts';

const STRICT = { allowLoopback: false, allowPrivateNetworks: false };
const LOOPBACK_OK = { allowLoopback: true, allowPrivateNetworks: false };

describe('endpoint policy', () => {
  it('accepts https URLs on public names', () => {
    expect(endpointProblem('https://delivery.example.com/hooks/abc?x=1', STRICT)).toBeUndefined();
    expect(endpointProblem('https://93.184.216.34:8443/hook', STRICT)).toBeUndefined();
  });

  it.each([
    ['not a url', 'not an absolute URL'],
    ['http://delivery.example.com/hook', 'https'],
    ['ftp://delivery.example.com/hook', 'scheme'],
    ['https://user:pw@delivery.example.com/hook', 'credentials'],
    ['https://delivery.example.com/hook#frag', 'fragment'],
    ['https://localhost/hook', 'loopback'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://192.168.0.10/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'private'],
    ['https://[fd00::1]/hook', 'private'],
    ['https://0.0.0.0/hook', 'reserved'],
    ['https://100.64.0.1/hook', 'reserved'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://intranet/hook', 'fully qualified'],
    [`https://delivery.example.com/${'a'.repeat(2048)}`, '2048'],
  ])('refuses %s', (url, why) => {
    expect(endpointProblem(url, STRICT)?.en).toContain(why);
  });

  it('admits http on loopback only when allowed, and never http elsewhere', () => {
    expect(endpointProblem('http://127.0.0.1:8080/hook', LOOPBACK_OK)).toBeUndefined();
    expect(endpointProblem('http://localhost:8080/hook', LOOPBACK_OK)).toBeUndefined();
    expect(endpointProblem('http://[::1]:8080/hook', LOOPBACK_OK)).toBeUndefined();
    expect(endpointProblem('http://10.0.0.1/hook', LOOPBACK_OK)).toBeDefined();
    expect(
      endpointProblem('https://10.0.0.1/hook', { allowLoopback: false, allowPrivateNetworks: true }),
    ).toBeUndefined();
    expect(endpointProblem('http://10.0.0.1/hook', { allowLoopback: false, allowPrivateNetworks: true })).toBeDefined();
  });

  it('classifies addresses', () => {
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('127.0.0.53')).toBe('loopback');
    expect(classifyAddress('172.20.0.1')).toBe('private');
    expect(classifyAddress('224.0.0.1')).toBe('reserved');
    expect(classifyAddress('2001:db8::1')).toBe('public');
  });

  it('refuses to connect when a name resolves to a disallowed address (nothing is sent)', async () => {
    const signal = new AbortController().signal;
    await expect(
      postWebhook('http://localhost:9/hook', '{}', {}, { policy: STRICT, timeoutMs: 2000, signal }),
    ).rejects.toBeInstanceOf(DisallowedAddressError);
    await expect(
      postWebhook('https://127.0.0.1:9/hook', '{}', {}, { policy: STRICT, timeoutMs: 2000, signal }),
    ).rejects.toBeInstanceOf(DisallowedAddressError);
  });

  it('checks the resolved address at connection time (a name that resolves to loopback)', async () => {
    const refuse = guardedLookup(STRICT);
    const err = await new Promise<unknown>((done) =>
      (refuse as unknown as (h: string, o: object, cb: (e: unknown) => void) => void)('localhost', {}, done),
    );
    expect(err).toBeInstanceOf(DisallowedAddressError);
    const admit = guardedLookup(LOOPBACK_OK);
    const all = await new Promise<unknown[]>((done, fail) =>
      (admit as unknown as (h: string, o: object, cb: (e: unknown, a: unknown[]) => void) => void)(
        'localhost',
        { all: true },
        (e, a) => (e ? fail(e) : done(a)),
      ),
    );
    expect(all.length).toBeGreaterThan(0);
  });
});

describe('X-Myna-Signature', () => {
  const secret = 'whsec_0123456789abcdefghijklmnopqrstuv';
  const body = JSON.stringify({ id: 'evt_1', type: 'notice.created', notice: { title: '見本' } });
  const at = new Date('2026-03-01T00:00:00Z');

  it('is t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>', () => {
    const header = signWebhook(secret, body, at);
    const t = Math.floor(at.getTime() / 1000);
    const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${mac}`);
    expect(verifyWebhookSignature(header, Buffer.from(body), secret, { now: at })).toEqual({ ok: true, timestamp: t });
  });

  it('refuses a changed body, another secret, a stale timestamp and malformed headers', () => {
    const header = signWebhook(secret, body, at);
    expect(verifyWebhookSignature(header, `${body} `, secret, { now: at })).toMatchObject({ reason: 'mismatch' });
    expect(verifyWebhookSignature(header, body, `${secret}x`, { now: at })).toMatchObject({ reason: 'mismatch' });
    const later = new Date(at.getTime() + 301_000);
    expect(verifyWebhookSignature(header, body, secret, { now: later })).toMatchObject({ reason: 'stale' });
    expect(verifyWebhookSignature(header, body, secret, { now: new Date(at.getTime() + 299_000) }).ok).toBe(true);
    for (const bad of [undefined, '', 't=1', 'v1=00', 't=x,v1=00', `t=1,t=2,v1=${'0'.repeat(64)}`, 'garbage']) {
      expect(verifyWebhookSignature(bad, body, secret, { now: at })).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts any matching v1 (secret rotation) and ignores unknown schemes', () => {
    const good = signWebhook(secret, body, at);
    const t = good.split(',')[0];
    const mac = good.split('v1=')[1];
    const header = `${t},v0=zzz,v1=${'0'.repeat(64)},v1=${mac}`;
    expect(verifyWebhookSignature(header, body, secret, { now: at }).ok).toBe(true);
  });
});

describe('retry schedule', () => {
  it('grows by the factor from the base delay, is capped, and jitters within ±jitter', () => {
    const p = { ...DEFAULT_RETRY, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(p, n))).toEqual([
      1000, 4000, 16000, 64000, 256000, 1024000, 3600000,
    ]);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay({ ...DEFAULT_RETRY, jitter: 0.2 }, 2);
      expect(d).toBeGreaterThanOrEqual(3200);
      expect(d).toBeLessThanOrEqual(4800);
    }
    expect(backoffDelay({ ...DEFAULT_RETRY, jitter: 0.2 }, 20, () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('classifies responses: 2xx delivered, 4xx failed except 408/429, everything else retried', () => {
    expect([200, 201, 204, 299].map(classifyStatus)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect([400, 401, 403, 404, 410, 422].map(classifyStatus).every((o) => o === 'failed')).toBe(true);
    expect([408, 429, 500, 502, 503, 301, 302, 100].map(classifyStatus).every((o) => o === 'retry')).toBe(true);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
