import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboxItemSchema } from '../../../ipc/contract.ts';
import { type StoredItem, UUID_V4, uuidV4 } from './item.ts';
import { type EnqueueInput, Outbox, type OutboxOpenOptions } from './outbox.ts';
import { isOutboxError } from './outbox-error.ts';
import {
  countingRandom,
  deferred,
  delivered,
  FakeClock,
  retryable,
  type ScriptedDeliver,
  scriptedDeliver,
} from './test-support.ts';
import type { DeliveryOutcome, OutboxClock } from './types.ts';

let dir: string;
const opened: Outbox[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'myna-outbox-'));
});
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

const PKG = new Uint8Array(Buffer.from('PK\x03\x04 a signed application package, pretend'));
const input = (over: Partial<EnqueueInput> = {}): EnqueueInput => ({
  packageBytes: PKG,
  procedureId: 'jidou-teate-nintei',
  municipalityCode: '131016',
  fingerprint: '3F2A 9C01 0000 1111',
  ...over,
});

async function open(
  deliver: ScriptedDeliver,
  o: Partial<OutboxOpenOptions> & { clock?: OutboxClock } = {},
): Promise<{ outbox: Outbox; clock: FakeClock }> {
  const clock = (o.clock as FakeClock | undefined) ?? new FakeClock();
  const outbox = await Outbox.open({
    dir,
    deliver: deliver.deliver,
    clock,
    random: countingRandom(0),
    backoff: { baseMs: 1000, factor: 2, maxMs: 60_000, jitter: 0.5, maxAutomaticAttempts: 5 },
    ...o,
  });
  opened.push(outbox);
  return { outbox, clock };
}

const itemDir = (id: string) => join(dir, 'items', id);
const readItem = (id: string) => JSON.parse(readFileSync(join(itemDir(id), 'item.json'), 'utf8')) as StoredItem;
const hasPackage = (id: string) => existsSync(join(itemDir(id), 'package.mynapkg'));
const noDelivery: DeliveryOutcome = { kind: 'needs-login', code: 'NEEDS_LOGIN', message: { ja: 'j', en: 'e' } };

describe('enqueue', () => {
  it('writes the package and metadata-only item.json, durably, with a fresh UUID v4 idempotency key', async () => {
    const d = scriptedDeliver(delivered());
    const { outbox } = await open(d);
    const item = await outbox.enqueue(input());
    expect(OutboxItemSchema.parse(item)).toEqual(item);
    expect(item).toMatchObject({
      state: 'pending',
      attempts: 0,
      packageBytes: PKG.length,
      procedureId: 'jidou-teate-nintei',
      municipalityCode: '131016',
      fingerprint: '3F2A 9C01 0000 1111',
      createdAt: '2026-11-27T09:00:00.000Z',
      nextAttemptAt: '2026-11-27T09:00:00.000Z',
    });
    expect(item.id).toMatch(UUID_V4);
    expect(item).not.toHaveProperty('idempotencyKey');

    const stored = readItem(item.id);
    expect(Object.keys(stored).sort()).toEqual(
      [
        'attempts',
        'createdAt',
        'fingerprint',
        'format',
        'id',
        'idempotencyKey',
        'municipalityCode',
        'nextAttemptAt',
        'packageBytes',
        'packageSha256',
        'procedureId',
        'state',
        'streak',
      ].sort(),
    );
    expect(stored.idempotencyKey).toMatch(UUID_V4);
    expect(stored.idempotencyKey).not.toBe(item.id);
    expect(stored.packageSha256).toBe(createHash('sha256').update(PKG).digest('hex'));
    expect(new Uint8Array(readFileSync(join(itemDir(item.id), 'package.mynapkg')))).toEqual(PKG);
    expect(readdirSync(join(dir, 'items'))).toEqual([item.id]);
    expect(readdirSync(itemDir(item.id)).sort()).toEqual(['item.json', 'package.mynapkg']);
  });

  it('every item gets its own key', async () => {
    const { outbox } = await open(scriptedDeliver(noDelivery), { random: undefined });
    const a = await outbox.enqueue(input());
    const b = await outbox.enqueue(input());
    expect(readItem(a.id).idempotencyKey).not.toBe(readItem(b.id).idempotencyKey);
  });

  it.each([
    [{ packageBytes: new Uint8Array(0) }, 'packageBytes'],
    [{ packageBytes: 'bytes' as unknown as Uint8Array }, 'packageBytes'],
    [{ procedureId: '' }, 'procedureId'],
    [{ municipalityCode: '12345678901' }, 'municipalityCode'],
    [{ fingerprint: 'x'.repeat(101) }, 'fingerprint'],
  ])('refuses bad input %#, writing nothing', async (over, field) => {
    const { outbox } = await open(scriptedDeliver(noDelivery));
    const e = await outbox.enqueue(input(over)).catch((x: unknown) => x);
    expect(isOutboxError(e, 'OUTBOX_INPUT_INVALID')).toBe(true);
    expect((e as { details: { field: string } }).details.field).toBe(field);
    expect(readdirSync(join(dir, 'items'))).toEqual([]);
  });

  it('schedules the first attempt at once', async () => {
    const d = scriptedDeliver(delivered());
    const { outbox, clock } = await open(d);
    const item = await outbox.enqueue(input());
    expect(clock.pending).toEqual([0]);
    clock.advance(0);
    await vi.waitFor(() => expect(outbox.get(item.id)?.state).toBe('delivered'));
    expect(d.calls).toHaveLength(1);
  });
});

describe('deliverNow', () => {
  it('delivers: receipt recorded, package bytes deleted, every change announced', async () => {
    const d = scriptedDeliver(delivered('R8-131016-000042'));
    const { outbox, clock } = await open(d);
    const seen: string[] = [];
    outbox.onChange((i) => seen.push(`${i.state}:${i.attempts}`));
    const queued = await outbox.enqueue(input());
    const item = await outbox.deliverNow(queued.id);
    expect(item).toMatchObject({
      state: 'delivered',
      attempts: 1,
      receipt: { receiptNumber: 'R8-131016-000042', status: 'received', receivedAt: '2026-11-27T09:00:01.000Z' },
    });
    expect(item.lastError).toBeUndefined();
    expect(item.nextAttemptAt).toBeUndefined();
    expect(seen).toEqual(['pending:0', 'sending:1', 'delivered:1']);
    expect(d.calls[0]?.idempotencyKey).toBe(readItem(item.id).idempotencyKey);
    expect(d.calls[0]?.packageBytes).toEqual(PKG);
    expect(readItem(item.id)).toMatchObject({ state: 'delivered', receipt: { receiptNumber: 'R8-131016-000042' } });
    expect(hasPackage(item.id)).toBe(false);
    expect(clock.pending).toEqual([]);
    // a delivered item is not sent again
    expect(await outbox.deliverNow(item.id)).toEqual(item);
    expect(d.calls).toHaveLength(1);
  });

  it('concurrent deliverNow / retry / timer calls make ONE request', async () => {
    const gate = deferred<DeliveryOutcome>();
    const d = scriptedDeliver(() => gate.promise);
    const { outbox, clock } = await open(d);
    const q = await outbox.enqueue(input());
    const calls = [outbox.deliverNow(q.id), outbox.deliverNow(q.id), outbox.retry(q.id)];
    clock.advance(0);
    calls.push(outbox.deliverNow(q.id));
    await vi.waitFor(() => expect(d.calls).toHaveLength(1));
    gate.resolve(delivered());
    const results = await Promise.all(calls);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]?.state).toBe('delivered');
    expect(d.calls).toHaveLength(1);
  });

  it('an unknown id is a typed error', async () => {
    const { outbox } = await open(scriptedDeliver(noDelivery));
    await expect(outbox.deliverNow('nope')).rejects.toMatchObject({ code: 'OUTBOX_NOT_FOUND' });
    await expect(outbox.retry('nope')).rejects.toMatchObject({ code: 'OUTBOX_NOT_FOUND' });
  });

  it('a deliverer that throws is a retry, not a lost item', async () => {
    const d = scriptedDeliver(async () => {
      throw new Error('socket hang up');
    });
    const { outbox } = await open(d);
    const q = await outbox.enqueue(input());
    const item = await outbox.deliverNow(q.id);
    expect(item).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'DELIVERY_FAILED' } });
    expect(item.nextAttemptAt).toBeDefined();
    expect(hasPackage(q.id)).toBe(true);
  });

  it('a "delivered" without a readable receipt is retried', async () => {
    const d = scriptedDeliver({ kind: 'delivered', receipt: { receiptNumber: 7 } } as unknown as DeliveryOutcome);
    const { outbox } = await open(d);
    const q = await outbox.enqueue(input());
    expect(await outbox.deliverNow(q.id)).toMatchObject({
      state: 'pending',
      lastError: { code: 'RECEIPT_UNREADABLE' },
    });
  });
});

describe('retries', () => {
  it('back off exponentially (with the same key every time) until delivered', async () => {
    const d = scriptedDeliver(retryable(), retryable(), retryable(), delivered());
    const { outbox, clock } = await open(d); // jitter draw 0 → the full delay
    const q = await outbox.enqueue(input());
    const t0 = clock.now();
    let item = await outbox.deliverNow(q.id);
    expect(item).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'PORTAL_ERROR' } });
    expect(Date.parse(item.nextAttemptAt as string) - t0).toBe(1000);
    expect(clock.pending).toEqual([1000]);

    clock.advance(999);
    expect(d.calls).toHaveLength(1);
    clock.advance(1);
    await vi.waitFor(() => expect(outbox.get(q.id)?.attempts).toBe(2));
    await vi.waitFor(() => expect(clock.pending).toEqual([2000]));
    clock.advance(2000);
    await vi.waitFor(() => expect(clock.pending).toEqual([4000]));
    clock.advance(4000);
    await vi.waitFor(() => expect(outbox.get(q.id)?.state).toBe('delivered'));
    item = outbox.get(q.id) as typeof item;
    expect(item.attempts).toBe(4);
    expect(new Set(d.calls.map((c) => c.idempotencyKey))).toEqual(new Set([readItem(q.id).idempotencyKey]));
  });

  it('jitter shortens the delay by up to half', async () => {
    const { outbox, clock } = await open(scriptedDeliver(retryable()), { random: countingRandom(0xff) });
    const q = await outbox.enqueue(input());
    const item = await outbox.deliverNow(q.id);
    const delay = Date.parse(item.nextAttemptAt as string) - clock.now();
    expect(delay).toBeGreaterThanOrEqual(500);
    expect(delay).toBeLessThan(510);
  });

  it('honours a Retry-After longer than the backoff', async () => {
    const { outbox, clock } = await open(scriptedDeliver(retryable('PORTAL_BUSY', 30_000)));
    const q = await outbox.enqueue(input());
    const item = await outbox.deliverNow(q.id);
    expect(Date.parse(item.nextAttemptAt as string) - clock.now()).toBe(30_000);
  });

  it('stops trying by itself after the cap, but keeps the item visible with its last error', async () => {
    const d = scriptedDeliver(retryable('PORTAL_UNREACHABLE'));
    const { outbox, clock } = await open(d);
    const q = await outbox.enqueue(input());
    await outbox.deliverNow(q.id);
    for (let n = 2; n <= 5; n++) {
      clock.advance(60_000);
      await vi.waitFor(() => expect(outbox.get(q.id)).toMatchObject({ attempts: n, state: 'pending' }));
    }
    await vi.waitFor(() => expect(outbox.get(q.id)?.nextAttemptAt).toBeUndefined());
    expect(clock.pending).toEqual([]);
    clock.advance(24 * 3600_000);
    expect(d.calls).toHaveLength(5);
    const item = outbox.list()[0];
    expect(item).toMatchObject({ id: q.id, state: 'pending', attempts: 5, lastError: { code: 'PORTAL_UNREACHABLE' } });
    expect(hasPackage(q.id)).toBe(true);

    // the resident's retry starts a fresh run
    d.script = [delivered()];
    expect(await outbox.retry(q.id)).toMatchObject({ state: 'delivered', attempts: 6 });
  });

  it('after the cap, a restart gives the item a fresh run', async () => {
    const d = scriptedDeliver(retryable());
    const clock = new FakeClock();
    const first = await open(d, { clock, backoff: { maxAutomaticAttempts: 1 } });
    const q = await first.outbox.enqueue(input());
    expect((await first.outbox.deliverNow(q.id)).nextAttemptAt).toBeUndefined();
    await first.outbox.close();
    const second = await open(d, { clock });
    expect(second.outbox.get(q.id)?.nextAttemptAt).toBe(new Date(clock.now()).toISOString());
    expect(clock.pending).toEqual([0]);
  });
});

describe('needs-login', () => {
  it('waits without timers until resumeAfterLogin, then goes out', async () => {
    const d = scriptedDeliver(noDelivery, delivered());
    const { outbox, clock } = await open(d);
    const a = await outbox.enqueue(input());
    expect(await outbox.deliverNow(a.id)).toMatchObject({
      state: 'needs-login',
      attempts: 1,
      lastError: { code: 'NEEDS_LOGIN' },
    });
    expect(clock.pending).toEqual([]);
    clock.advance(3600_000);
    expect(d.calls).toHaveLength(1);

    const done = await outbox.resumeAfterLogin();
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ id: a.id, state: 'delivered', attempts: 2 });
    expect(d.calls[0]?.idempotencyKey).toBe(d.calls[1]?.idempotencyKey);
    expect(await outbox.resumeAfterLogin()).toEqual([]);
  });

  it('survives a restart in needs-login', async () => {
    const d = scriptedDeliver(noDelivery);
    const clock = new FakeClock();
    const first = await open(d, { clock });
    const q = await first.outbox.enqueue(input());
    await first.outbox.deliverNow(q.id);
    await first.outbox.close();
    const second = await open(d, { clock });
    expect(second.outbox.get(q.id)?.state).toBe('needs-login');
    expect(clock.pending).toEqual([]);
  });
});

describe('rejected', () => {
  const refusal: DeliveryOutcome = {
    kind: 'rejected',
    code: 'PACKAGE_INVALID',
    message: { ja: '署名の検証に失敗', en: 'signature does not verify' },
  };

  it('is never retried, automatically or by hand, and its bytes are deleted', async () => {
    const d = scriptedDeliver(refusal);
    const { outbox, clock } = await open(d);
    const q = await outbox.enqueue(input());
    const item = await outbox.deliverNow(q.id);
    expect(item).toMatchObject({
      state: 'rejected',
      attempts: 1,
      lastError: { code: 'PACKAGE_INVALID', message: { ja: '署名の検証に失敗', en: 'signature does not verify' } },
    });
    expect(item.nextAttemptAt).toBeUndefined();
    expect(clock.pending).toEqual([]);
    clock.advance(7 * 24 * 3600_000);
    await outbox.resumeAfterLogin();
    expect(await outbox.deliverNow(q.id)).toEqual(item);
    const e = await outbox.retry(q.id).catch((x: unknown) => x);
    expect(isOutboxError(e, 'OUTBOX_NOT_RETRYABLE')).toBe(true);
    expect(d.calls).toHaveLength(1);
    expect(hasPackage(q.id)).toBe(false);
    expect(readItem(q.id)).toMatchObject({ state: 'rejected', lastError: { code: 'PACKAGE_INVALID' } });
  });

  it('a package damaged on disk is not sent', async () => {
    const d = scriptedDeliver(delivered());
    const { outbox } = await open(d);
    const q = await outbox.enqueue(input());
    const tampered = Buffer.from(PKG);
    tampered[5] = (tampered[5] as number) ^ 1;
    writeFileSync(join(itemDir(q.id), 'package.mynapkg'), tampered);
    expect(await outbox.deliverNow(q.id)).toMatchObject({ state: 'rejected', lastError: { code: 'PACKAGE_DAMAGED' } });
    expect(d.calls).toHaveLength(0);
  });
});

describe('restarts and crashes', () => {
  it('an item left in `sending` (a crash mid-attempt) goes back to pending and is resent with the SAME key', async () => {
    const gate = deferred<DeliveryOutcome>();
    const first = scriptedDeliver(() => gate.promise);
    const clock = new FakeClock();
    const a = await open(first, { clock });
    const q = await a.outbox.enqueue(input());
    void a.outbox.deliverNow(q.id);
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    expect(readItem(q.id).state).toBe('sending');

    // The process dies here: what is on disk is all that is left.
    const crashed = mkdtempSync(join(tmpdir(), 'myna-outbox-crashed-'));
    try {
      cpSync(dir, crashed, { recursive: true });
      const second = scriptedDeliver(delivered('R8-131016-000007'));
      const b = await Outbox.open({ dir: crashed, deliver: second.deliver, clock, random: countingRandom(0) });
      opened.push(b);
      expect(b.get(q.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'INTERRUPTED' } });
      expect(JSON.parse(readFileSync(join(crashed, 'items', q.id, 'item.json'), 'utf8')).state).toBe('pending');
      expect(clock.pending).toContain(0);
      const item = await b.deliverNow(q.id);
      expect(item).toMatchObject({ state: 'delivered', attempts: 2, receipt: { receiptNumber: 'R8-131016-000007' } });
      expect(second.calls[0]?.idempotencyKey).toBe(first.calls[0]?.idempotencyKey);
    } finally {
      gate.resolve(noDelivery);
      rmSync(crashed, { recursive: true, force: true });
    }
  });

  it('reloads every state and schedules pending items at their time', async () => {
    const clock = new FakeClock();
    const d = scriptedDeliver(retryable());
    const a = await open(d, { clock });
    const q = await a.outbox.enqueue(input());
    const before = await a.outbox.deliverNow(q.id);
    await a.outbox.close();
    const b = await open(d, { clock });
    expect(b.outbox.list()).toEqual([before]);
    expect(clock.pending).toEqual([1000]);
  });

  it('finishes an interrupted cleanup: a delivered item’s leftover package is deleted', async () => {
    const d = scriptedDeliver(delivered());
    const a = await open(d);
    const q = await a.outbox.enqueue(input());
    await a.outbox.deliverNow(q.id);
    await a.outbox.close();
    writeFileSync(join(itemDir(q.id), 'package.mynapkg'), PKG);
    await open(d);
    expect(hasPackage(q.id)).toBe(false);
  });

  it('removes an enqueue that never completed and leftover temporary files', async () => {
    const d = scriptedDeliver(noDelivery);
    const a = await open(d);
    const q = await a.outbox.enqueue(input());
    await a.outbox.close();
    mkdirSync(join(dir, 'items', '.tmp-half-written'));
    writeFileSync(join(dir, 'items', '.tmp-half-written', 'package.mynapkg'), 'partial');
    writeFileSync(join(itemDir(q.id), '.tmp-item.json.abc123'), '{"half');
    const b = await open(d);
    expect(readdirSync(join(dir, 'items'))).toEqual([q.id]);
    expect(readdirSync(itemDir(q.id)).sort()).toEqual(['item.json', 'package.mynapkg']);
    expect(b.outbox.quarantined).toEqual([]);
  });
});

describe('corrupt files', () => {
  it('are quarantined and reported; the rest loads', async () => {
    const d = scriptedDeliver(noDelivery);
    const clock = new FakeClock();
    const a = await open(d, { clock });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await a.outbox.enqueue(input({ fingerprint: `F${i}` }))).id);
    await a.outbox.close();
    const [good, badJson, badSchema, noPkg, shortPkg, renamed] = ids as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    writeFileSync(join(itemDir(badJson), 'item.json'), '{"id": "');
    writeFileSync(
      join(itemDir(badSchema), 'item.json'),
      JSON.stringify({ ...readItem(badSchema), state: 'exploded', pin: '1234' }),
    );
    rmSync(join(itemDir(noPkg), 'package.mynapkg'));
    writeFileSync(join(itemDir(shortPkg), 'package.mynapkg'), 'short');
    cpSync(itemDir(renamed), join(dir, 'items', uuidV4(new Uint8Array(16).fill(9))), { recursive: true });
    rmSync(itemDir(renamed), { recursive: true });
    writeFileSync(join(dir, 'items', 'stray.txt'), 'hello');

    const b = await open(d, { clock });
    expect(b.outbox.list().map((i) => i.id)).toEqual([good]);
    const reports = [...b.outbox.quarantined].sort((x, y) => x.reason.localeCompare(y.reason));
    expect(reports.map((r) => [r.reason, r.moved])).toEqual([
      ['item-invalid', true],
      ['item-invalid', true],
      ['item-unreadable', true],
      ['not-a-directory', true],
      ['package-missing', true],
      ['package-size-mismatch', true],
    ]);
    for (const r of reports) {
      expect(r.path.startsWith(join(dir, 'quarantine'))).toBe(true);
      expect(existsSync(r.path)).toBe(true);
    }
    expect(reports.find((r) => r.reason === 'item-unreadable')?.entry).toBe(badJson);
    // what was quarantined stays where support can find it, and is not loaded again
    const c = await open(d, { clock });
    expect(c.outbox.quarantined).toEqual([]);
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(6);
  });
});

describe('list and close', () => {
  it('lists newest first', async () => {
    const { outbox, clock } = await open(scriptedDeliver(noDelivery));
    const a = await outbox.enqueue(input({ fingerprint: 'A' }));
    clock.advance(1000);
    const b = await outbox.enqueue(input({ fingerprint: 'B' }));
    clock.advance(1000);
    const c = await outbox.enqueue(input({ fingerprint: 'C' }));
    expect(outbox.list().map((i) => i.id)).toEqual([c.id, b.id, a.id]);
    for (const i of outbox.list()) expect(OutboxItemSchema.safeParse(i).success).toBe(true);
  });

  it('close() stops the timers and waits for the attempt in flight to be recorded', async () => {
    const gate = deferred<DeliveryOutcome>();
    const d = scriptedDeliver(() => gate.promise, retryable());
    const { outbox, clock } = await open(d);
    const a = await outbox.enqueue(input());
    const b = await outbox.enqueue(input());
    void outbox.deliverNow(a.id);
    await vi.waitFor(() => expect(d.calls).toHaveLength(1));
    let closed = false;
    const closing = outbox.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    gate.resolve(delivered());
    await closing;
    expect(readItem(a.id).state).toBe('delivered');
    clock.advance(3600_000);
    expect(d.calls).toHaveLength(1);
    expect(readItem(b.id).state).toBe('pending');
    await expect(outbox.enqueue(input())).rejects.toMatchObject({ code: 'OUTBOX_CLOSED' });
    await expect(outbox.deliverNow(b.id)).rejects.toMatchObject({ code: 'OUTBOX_CLOSED' });
  });

  it('a listener that throws does not break delivery', async () => {
    const errors: unknown[] = [];
    const { outbox } = await open(scriptedDeliver(delivered()), { onError: (e) => errors.push(e) });
    outbox.onChange(() => {
      throw new Error('renderer gone');
    });
    const q = await outbox.enqueue(input());
    expect((await outbox.deliverNow(q.id)).state).toBe('delivered');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('leaves no temporary files behind', async () => {
    const { outbox } = await open(scriptedDeliver(retryable(), delivered()));
    const q = await outbox.enqueue(input());
    await outbox.deliverNow(q.id);
    await outbox.retry(q.id);
    const all = readdirSync(dir, { recursive: true }).map(String);
    expect(all.filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('uuidV4', () => {
  it('sets the version and variant bits', () => {
    expect(uuidV4(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidV4(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
    expect(() => uuidV4(new Uint8Array(8))).toThrow(RangeError);
  });
});
