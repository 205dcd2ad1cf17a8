/**
 * 民間送達サービス連携 end to end: a real HTTP receiver on 127.0.0.1 plays the delivery service;
 * notices are published through the admin hook (createNotice); the portal's worker delivers
 * signed webhooks with retries, logs every attempt, resumes after a restart and never sends to
 * a deleted link. The portal runs on the real clock here (the worker's retries are real time).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotice, verifyWebhookSignature } from '../delivery/index.ts';
import { type RunningPortal, type StartPortalOptions, startPortal } from '../start.ts';
import { count, dbDigest, expectProblem, login, removeDir, startTestPortal, type TestPortal } from './test-support.ts';

const ADMIN = 'test-admin-token-0123456789abcdef';
const SECRET = 'whsec_test_0123456789abcdefghijklmnopqrstuvwxyz';
const DELIVERY: StartPortalOptions['delivery'] = {
  allowLoopback: true,
  retry: { baseDelayMs: 100, factor: 2, maxDelayMs: 400, maxAttempts: 4, jitter: 0 },
  timeoutMs: 3000,
  pollIntervalMs: 50,
};

// ---------------------------------------------------------------------------------------------
// The delivery service: a real HTTP server that records what it gets and answers as told.

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

interface Receiver {
  url: (path?: string) => string;
  received: Received[];
  /** Status per request (by arrival index from 0); 'hang' never answers. */
  answer: (r: Received, index: number) => number | 'hang';
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const r: Partial<Receiver> = { received, answer: () => 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = {
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(rec);
      const status = (r as Receiver).answer(rec, received.length - 1);
      if (status !== 'hang') res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver not listening');
  r.url = (path = '/hook') => `http://127.0.0.1:${address.port}${path}`;
  r.close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return r as Receiver;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------------------------------------

let portal: TestPortal;
let receiver: Receiver;
let cookie: string;
let other: string;

beforeAll(async () => {
  portal = await startTestPortal({ now: () => new Date(), adminToken: ADMIN, delivery: DELIVERY });
  receiver = await startReceiver();
  cookie = await login(portal, 'resident-01');
  other = await login(portal, 'resident-05');
});
afterAll(async () => {
  await portal.dispose();
  await receiver.close();
});
afterEach(() => {
  receiver.answer = () => 200;
});

const inject = (p: RunningPortal, o: { method?: string; url: string; cookie?: string; payload?: object }) =>
  p.app.inject({
    method: (o.method ?? 'GET') as 'GET',
    url: o.url,
    headers: o.cookie ? { cookie: o.cookie } : {},
    ...(o.payload ? { payload: o.payload } : {}),
  });

async function link(p: RunningPortal, who: string, endpoint: string, secret = SECRET, serviceName = '見本ポスト') {
  const r = await inject(p, {
    method: 'POST',
    url: '/api/v1/me/delivery-links',
    cookie: who,
    payload: { serviceName, endpoint, secret },
  });
  if (r.statusCode !== 201) throw new Error(`link: ${r.statusCode} ${r.body}`);
  return r.json() as { id: string; secretFingerprint: string };
}

async function unlink(p: RunningPortal, who: string, id: string) {
  return inject(p, { method: 'DELETE', url: `/api/v1/me/delivery-links/${id}`, cookie: who });
}

async function publish(p: RunningPortal, residentId = 'resident-01', title = '見本：新しいお知らせ') {
  const r = await p.app.inject({
    method: 'POST',
    url: '/api/v1/admin/notices',
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: {
      residentId,
      kind: 'tax',
      title,
      body: '本文です。',
      senderAgencyId: 'muni-131016',
      senderDepartment: '税務課',
      payment: { amount: 12300, dueDate: '2026-12-31', payee: '千代田区', collectorNumber: '13101' },
    },
  });
  if (r.statusCode !== 201) throw new Error(`publish: ${r.statusCode} ${r.body}`);
  return r.json() as { id: string; deliveries: { id: string; linkId: string }[] };
}

interface LoggedDelivery {
  id: string;
  state: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  finalReason: string | null;
  notice: { id: string };
  attempts: { attempt: number; statusCode: number | null; outcome: string; error: string | null; startedAt: string }[];
}

async function deliveryLog(p: RunningPortal, who: string, linkId: string): Promise<LoggedDelivery[]> {
  const r = await inject(p, { url: `/api/v1/me/delivery-links/${linkId}/deliveries?pageSize=100`, cookie: who });
  if (r.statusCode !== 200) throw new Error(`log: ${r.statusCode} ${r.body}`);
  return r.json().items as LoggedDelivery[];
}

const stateOf = (p: TestPortal | { db: TestPortal['db'] }, id: string) =>
  (p.db.prepare('SELECT state FROM deliveries WHERE id = ?').get(id) as { state: string } | undefined)?.state;

// ---------------------------------------------------------------------------------------------

describe('webhooks to a real delivery service', () => {
  it('delivers a signed notice.created that verifies with the shared secret', async () => {
    const l = await link(portal, cookie, receiver.url('/ok'));
    const n = await publish(portal);
    expect(n.deliveries).toEqual([{ id: expect.stringMatching(/^dlv_/), linkId: l.id }]);
    const dlv = n.deliveries[0]?.id as string;
    const got = await waitFor('the webhook', () => receiver.received.find((r) => r.headers['x-myna-delivery'] === dlv));
    expect(got.path).toBe('/ok');
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.headers['x-myna-event']).toBe('notice.created');

    // The signature, by the reference verifier and by a plain HMAC.
    const header = got.headers['x-myna-signature'] as string;
    expect(verifyWebhookSignature(header, got.body, SECRET)).toMatchObject({ ok: true });
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(m).not.toBeNull();
    const t = Number(m?.[1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(10);
    expect(createHmac('sha256', SECRET).update(`${t}.${got.body}`).digest('hex')).toBe(m?.[2]);
    expect(verifyWebhookSignature(header, got.body.replace('12300', '99999'), SECRET).ok).toBe(false);
    expect(verifyWebhookSignature(header, got.body, 'x'.repeat(40)).ok).toBe(false);

    const body = JSON.parse(got.body);
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'id', 'notice', 'type']);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'notice.created',
      notice: {
        id: n.id,
        kind: 'tax',
        kindLabel: '税',
        title: '見本：新しいお知らせ',
        body: '本文です。',
        sender: { id: 'muni-131016' },
        senderDepartment: '税務課',
        payment: { amount: 12300, currency: 'JPY', dueDate: '2026-12-31', payee: '千代田区' },
      },
    });

    await waitFor('delivered', () => stateOf(portal, dlv) === 'delivered');
    const [entry] = await deliveryLog(portal, cookie, l.id);
    expect(entry).toMatchObject({ id: dlv, state: 'delivered', attemptCount: 1, nextAttemptAt: null });
    expect(entry?.attempts).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, outcome: 'delivered', error: null }),
    ]);
    // The notice is the resident's like any other.
    const mine = await inject(portal, { url: `/api/v1/me/notices/${n.id}`, cookie });
    expect(mine.statusCode).toBe(200);
    const links = (await inject(portal, { url: '/api/v1/me/delivery-links', cookie })).json();
    expect(links.items[0]).toMatchObject({ id: l.id, deliveries: { delivered: 1, pending: 0, failed: 0 } });
    expect(JSON.stringify(links)).not.toContain(SECRET);
    expect((await unlink(portal, cookie, l.id)).statusCode).toBe(204);
  });

  it('retries 500 and 429 with backoff, then succeeds; every attempt is logged with the same delivery id', async () => {
    const l = await link(portal, cookie, receiver.url('/flaky'));
    receiver.answer = (r) => {
      const n = receiver.received.filter((x) => x.path === r.path).length;
      return n === 1 ? 500 : n === 2 ? 429 : 200;
    };
    const n = await publish(portal);
    const dlv = n.deliveries[0]?.id as string;
    await waitFor('delivered after retries', () => stateOf(portal, dlv) === 'delivered');
    const hits = receiver.received.filter((r) => r.path === '/flaky');
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['x-myna-delivery']))).toEqual(new Set([dlv]));
    expect(new Set(hits.map((h) => h.body)).size).toBe(1); // the body is frozen; only the signature is renewed
    for (const h of hits)
      expect(verifyWebhookSignature(h.headers['x-myna-signature'] as string, h.body, SECRET).ok).toBe(true);
    // Backoff 100 ms then 200 ms (jitter 0 in this portal).
    expect((hits[1]?.at ?? 0) - (hits[0]?.at ?? 0)).toBeGreaterThanOrEqual(90);
    expect((hits[2]?.at ?? 0) - (hits[1]?.at ?? 0)).toBeGreaterThanOrEqual(190);

    const [entry] = await deliveryLog(portal, cookie, l.id);
    expect(entry).toMatchObject({ state: 'delivered', attemptCount: 3, nextAttemptAt: null });
    expect(entry?.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 429, 'retry'],
      [3, 200, 'delivered'],
    ]);
    expect(entry?.finalReason).toContain('attempt 3');
    await unlink(portal, cookie, l.id);
  });

  it('delivers to a host name (resolved through the connection-time address guard)', async () => {
    const l = await link(portal, cookie, receiver.url('/named').replace('127.0.0.1', 'localhost'));
    const n = await publish(portal);
    const dlv = n.deliveries[0]?.id as string;
    await waitFor('delivered', () => stateOf(portal, dlv) === 'delivered');
    expect(receiver.received.filter((r) => r.path === '/named')).toHaveLength(1);
    await unlink(portal, cookie, l.id);
  });

  it('fails permanently on 400 after one attempt', async () => {
    const l = await link(portal, cookie, receiver.url('/refuse'));
    receiver.answer = (r) => (r.path === '/refuse' ? 400 : 200);
    const n = await publish(portal);
    const dlv = n.deliveries[0]?.id as string;
    await waitFor('failed', () => stateOf(portal, dlv) === 'failed');
    await sleep(300); // no retry comes
    expect(receiver.received.filter((r) => r.path === '/refuse')).toHaveLength(1);
    const [entry] = await deliveryLog(portal, cookie, l.id);
    expect(entry).toMatchObject({ state: 'failed', attemptCount: 1, nextAttemptAt: null });
    expect(entry?.finalReason).toContain('400');
    expect(entry?.attempts).toEqual([expect.objectContaining({ statusCode: 400, outcome: 'failed' })]);
    await unlink(portal, cookie, l.id);
  });

  it('gives up after maxAttempts of network errors (connection refused), logging each attempt', async () => {
    const closed = await startReceiver();
    const url = closed.url('/gone');
    await closed.close(); // nothing listens there any more → ECONNREFUSED
    const l = await link(portal, cookie, url);
    const n = await publish(portal);
    const dlv = n.deliveries[0]?.id as string;
    await waitFor('given up', () => stateOf(portal, dlv) === 'failed');
    const [entry] = await deliveryLog(portal, cookie, l.id);
    expect(entry?.attemptCount).toBe(4);
    expect(entry?.attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'failed']);
    expect(entry?.attempts.every((a) => a.statusCode === null && /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
    expect(entry?.finalReason).toMatch(/gave up after 4 attempts/);
    await unlink(portal, cookie, l.id);
  });

  it('a deleted link receives nothing: its queued retries are dropped and later notices skip it', async () => {
    const l = await link(portal, cookie, receiver.url('/deleted'));
    receiver.answer = (r) => (r.path === '/deleted' ? 503 : 200);
    const n = await publish(portal);
    await waitFor('first attempt', () => receiver.received.some((r) => r.path === '/deleted'));
    expect((await unlink(portal, cookie, l.id)).statusCode).toBe(204);
    const seen = receiver.received.filter((r) => r.path === '/deleted').length;
    expect(count(portal.db, 'deliveries', 'link_id = ?', l.id)).toBe(0);
    expect(count(portal.db, 'delivery_links', 'id = ?', l.id)).toBe(0);
    await publish(portal);
    await sleep(600); // longer than the whole retry schedule
    expect(receiver.received.filter((r) => r.path === '/deleted')).toHaveLength(seen);
    expect(count(portal.db, 'deliveries', 'notice_id = ?', n.id)).toBe(0);
    expectProblem(
      await inject(portal, { url: `/api/v1/me/delivery-links/${l.id}/deliveries`, cookie }),
      404,
      'DELIVERY_LINK_NOT_FOUND',
    );
    // 操作履歴 records linking and unlinking.
    const activity = (await inject(portal, { url: '/api/v1/me/activity?pageSize=100', cookie })).json();
    const mine = activity.items.filter((a: { detail: { linkId?: string } }) => a.detail.linkId === l.id);
    expect(mine.map((a: { kind: string }) => a.kind)).toEqual(['delivery-link', 'delivery-link']);
  });

  it('one resident can neither see nor delete another resident’s link (404), and nothing changes', async () => {
    const l = await link(portal, cookie, receiver.url('/private'));
    const before = dbDigest(portal.db, ['sessions']);
    for (const r of [
      await inject(portal, { url: `/api/v1/me/delivery-links/${l.id}`, cookie: other }),
      await inject(portal, { url: `/api/v1/me/delivery-links/${l.id}/deliveries`, cookie: other }),
      await unlink(portal, other, l.id),
    ]) {
      expectProblem(r, 404, 'DELIVERY_LINK_NOT_FOUND');
    }
    const theirs = (await inject(portal, { url: '/api/v1/me/delivery-links', cookie: other })).json();
    expect(theirs.items).toEqual([]);
    expect(dbDigest(portal.db, ['sessions'])).toEqual(before);
    // A notice for resident-05 is not delivered to resident-01's link.
    const n = await publish(portal, 'resident-05');
    expect(n.deliveries).toEqual([]);
    await unlink(portal, cookie, l.id);
  });

  it('validates endpoint and secret: 400 problem documents and the database unchanged', async () => {
    const before = dbDigest(portal.db, ['sessions']);
    const post = (payload: object) =>
      inject(portal, { method: 'POST', url: '/api/v1/me/delivery-links', cookie, payload });
    const good = { serviceName: '見本ポスト', endpoint: 'https://delivery.example.com/hook', secret: SECRET };
    for (const endpoint of [
      'not a url',
      'http://delivery.example.com/hook',
      'https://10.0.0.7/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://user:pw@delivery.example.com/hook',
      'javascript:alert(1)',
    ]) {
      const doc = expectProblem(await post({ ...good, endpoint }), 400, 'DELIVERY_ENDPOINT_INVALID');
      expect(doc.detailJa).toBeTruthy();
    }
    for (const payload of [
      { ...good, secret: 'a'.repeat(31) },
      { ...good, secret: `${'a'.repeat(31)} ` },
      { ...good, secret: 'ひみつ'.repeat(20) },
      { ...good, serviceName: '' },
      { ...good, serviceName: '   ' },
      { ...good, extra: 1 },
      { serviceName: '見本ポスト', endpoint: 'https://delivery.example.com/hook' },
      { ...good, endpoint: 42 },
    ]) {
      expectProblem(await post(payload), 400, 'VALIDATION_FAILED');
    }
    expect(dbDigest(portal.db, ['sessions'])).toEqual(before);
    // Unauthenticated.
    expectProblem(await inject(portal, { url: '/api/v1/me/delivery-links' }), 401, 'UNAUTHENTICATED');
  });

  it('the admin hook needs the bearer token and real references', async () => {
    const before = dbDigest(portal.db, ['sessions']);
    const payload = {
      residentId: 'resident-01',
      kind: 'general',
      title: 't',
      body: 'b',
      senderAgencyId: 'muni-131016',
    };
    expectProblem(
      await portal.app.inject({ method: 'POST', url: '/api/v1/admin/notices', payload }),
      401,
      'ADMIN_UNAUTHORIZED',
    );
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: '/api/v1/admin/notices',
        headers: { authorization: `Bearer ${ADMIN}x` },
        payload,
      }),
      401,
      'ADMIN_UNAUTHORIZED',
    );
    const auth = { authorization: `Bearer ${ADMIN}` };
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: '/api/v1/admin/notices',
        headers: auth,
        payload: { ...payload, residentId: 'resident-99' },
      }),
      422,
      'REFERENCE_UNKNOWN',
    );
    expectProblem(
      await portal.app.inject({
        method: 'POST',
        url: '/api/v1/admin/notices',
        headers: auth,
        payload: { ...payload, senderAgencyId: 'nowhere' },
      }),
      422,
      'REFERENCE_UNKNOWN',
    );
    expect(dbDigest(portal.db, ['sessions'])).toEqual(before);
  });

  it('createNotice writes the notice and its deliveries in one transaction', async () => {
    const l = await link(portal, cookie, receiver.url('/atomic'));
    const notices = count(portal.db, 'notices');
    portal.db.exec(
      "CREATE TEMP TRIGGER refuse_delivery BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    try {
      expect(() =>
        createNotice(portal.db, 'resident-01', {
          kind: 'general',
          title: 'atomic',
          body: 'b',
          senderAgencyId: 'muni-131016',
        }),
      ).toThrow(/refused/);
    } finally {
      portal.db.exec('DROP TRIGGER temp.refuse_delivery');
    }
    expect(count(portal.db, 'notices')).toBe(notices);
    await unlink(portal, cookie, l.id);
  });
});

describe('restarts', () => {
  it('a pending delivery is resumed by the next start on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'myna-portal-delivery-'));
    const slow = { ...DELIVERY, retry: { ...DELIVERY?.retry, baseDelayMs: 400 } };
    const rx = await startReceiver();
    try {
      rx.answer = (_r, i) => (i === 0 ? 500 : 200);
      const opts = { dataDir, seed: 'demo' as const, adminToken: ADMIN, delivery: slow };
      const first = await startPortal(opts);
      const c1 = await login(first, 'resident-01');
      const l = await link(first, c1, rx.url('/resume'));
      const n = await publish(first);
      await waitFor('first attempt', () => rx.received.length === 1);
      await sleep(50); // let the 500 be logged
      await first.close();
      await sleep(600); // past the retry time: nothing is sent while the portal is down
      expect(rx.received).toHaveLength(1);

      const second = await startPortal(opts);
      try {
        await waitFor('resumed delivery', () => rx.received.length === 2);
        expect(rx.received[1]?.headers['x-myna-delivery']).toBe(n.deliveries[0]?.id);
        const c2 = await login(second, 'resident-01');
        await waitFor('delivered', () => stateOf(second.app.portal, n.deliveries[0]?.id as string) === 'delivered');
        const [logged] = await deliveryLog(second, c2, l.id);
        expect(logged?.attempts.map((a) => [a.statusCode, a.outcome])).toEqual([
          [500, 'retry'],
          [200, 'delivered'],
        ]);
      } finally {
        await second.close();
      }
    } finally {
      await rx.close();
      removeDir(dataDir);
    }
  });

  it('stopping mid-attempt neither hangs nor loses the delivery: logged as interrupted, sent after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'myna-portal-delivery-'));
    const rx = await startReceiver();
    try {
      rx.answer = (_r, i) => (i === 0 ? 'hang' : 200);
      const opts = { dataDir, seed: 'demo' as const, adminToken: ADMIN, delivery: { ...DELIVERY, timeoutMs: 20_000 } };
      const first = await startPortal(opts);
      const c1 = await login(first, 'resident-01');
      const l = await link(first, c1, rx.url('/hang'));
      const n = await publish(first);
      await waitFor('the hanging attempt', () => rx.received.length === 1);
      const t0 = Date.now();
      await first.close();
      expect(Date.now() - t0).toBeLessThan(2000);

      const second = await startPortal(opts);
      try {
        const dlv = n.deliveries[0]?.id as string;
        await waitFor('delivered after restart', () => stateOf(second.app.portal, dlv) === 'delivered');
        const c2 = await login(second, 'resident-01');
        const [logged] = await deliveryLog(second, c2, l.id);
        expect(logged?.attempts.map((a) => [a.statusCode, a.outcome])).toEqual([
          [null, 'retry'],
          [200, 'delivered'],
        ]);
        expect(logged?.attempts[0]?.error).toMatch(/interrupted/);
        expect(rx.received.map((r) => r.headers['x-myna-delivery'])).toEqual([dlv, dlv]);
      } finally {
        await second.close();
      }
    } finally {
      await rx.close();
      removeDir(dataDir);
    }
  });

  it('without an adminToken the admin hook does not exist', async () => {
    const p = await startTestPortal({ seed: 'none' });
    try {
      expectProblem(
        await p.app.inject({ method: 'POST', url: '/api/v1/admin/notices', payload: {} }),
        404,
        'NOT_FOUND',
      );
    } finally {
      await p.dispose();
    }
  });
});
