/**
 * The outbox against the REAL reference portal (Fastify + SQLite, demo seed), with packages
 * signed by the app's signer on the in-process card emulator (resident-01):
 * - delivery and the receipt the portal stored;
 * - no session → needs-login → log in → resumeAfterLogin → delivered;
 * - a main process SIGKILLed after the portal stored the application but before the outbox
 *   recorded it: the restarted outbox resends with the same key and the portal holds exactly ONE
 *   application, with the receipt number the portal gave the first time.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationInconsistencies, sampleDraft, signPackage } from '../../../../portal/intake/test-support.ts';
import { count, startTestPortal, type TestPortal } from '../../../../portal/service/test-support.ts';
import { PortalSession } from '../../portal/portal-session.ts';
import { Outbox } from './outbox.ts';
import { portalDeliverer } from './portal-deliverer.ts';
import { loggedInSession, logIn } from './test-support.ts';
import type { DeliveryOutcome } from './types.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let portal: TestPortal;
const dirs: string[] = [];
const outboxes: Outbox[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  portal = await startTestPortal({ port: 0, logger: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const o of outboxes) await o.close();
  await portal.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'myna-outbox-portal-'));
  dirs.push(d);
  return d;
}

async function openOutbox(dir: string, session: PortalSession): Promise<Outbox> {
  const o = await Outbox.open({ dir, deliver: portalDeliverer(session) });
  outboxes.push(o);
  return o;
}

const applicationsWith = (pkg: Uint8Array) =>
  count(portal.db, 'applications', 'demo = 0 AND package_sha256 = ?', sha256(pkg));

const entry = (pkg: Uint8Array) => ({
  packageBytes: pkg,
  procedureId: 'jidou-teate-nintei',
  municipalityCode: '131016',
  fingerprint: 'TEST FINGERPRINT',
});

describe('outbox → real portal', () => {
  it('delivers a signed package and records the portal’s receipt', async () => {
    const pkg = await signPackage('resident-01', sampleDraft('jidou-teate-nintei', 'outbox-happy'));
    const session = await loggedInSession(portal);
    const outbox = await openOutbox(tempDir(), session);
    const queued = await outbox.enqueue(entry(pkg));
    const item = await outbox.deliverNow(queued.id);
    expect(item, JSON.stringify(item.lastError)).toMatchObject({ state: 'delivered', attempts: 1 });
    const row = portal.db
      .prepare('SELECT receipt_number, status, received_at FROM applications WHERE package_sha256 = ?')
      .get(sha256(pkg)) as { receipt_number: string; status: string; received_at: string };
    expect(item.receipt).toEqual({
      receiptNumber: row.receipt_number,
      status: row.status,
      receivedAt: row.received_at,
    });
    expect(applicationsWith(pkg)).toBe(1);
    // the resident's view of the portal shows it
    const list = (await (await session.fetch('/api/v1/me/applications')).json()) as {
      items: { receiptNumber: string }[];
    };
    expect(list.items.map((i) => i.receiptNumber)).toContain(row.receipt_number);
  });

  it('waits for a login, then goes out', async () => {
    const pkg = await signPackage('resident-01', sampleDraft('jidou-teate-nintei', 'outbox-login'));
    const session = new PortalSession(portal.url);
    const outbox = await openOutbox(tempDir(), session);
    const queued = await outbox.enqueue(entry(pkg));
    expect(await outbox.deliverNow(queued.id)).toMatchObject({ state: 'needs-login' });
    expect(applicationsWith(pkg)).toBe(0);
    await logIn(session, portal.expectedOrigin);
    const [item] = await outbox.resumeAfterLogin();
    expect(item).toMatchObject({ id: queued.id, state: 'delivered', attempts: 2 });
    expect(applicationsWith(pkg)).toBe(1);
  });

  it('a package signed by another resident (a shared PC) waits for the signer, then goes out once', async () => {
    const pkg = await signPackage('resident-05', sampleDraft('jidou-teate-nintei', 'outbox-other'));
    const session = await loggedInSession(portal, 'resident-01');
    const dir = tempDir();
    const outbox = await openOutbox(dir, session);
    const queued = await outbox.enqueue(entry(pkg));
    const item = await outbox.deliverNow(queued.id);
    expect(item).toMatchObject({ state: 'needs-login', lastError: { code: 'SIGNER_NOT_RESIDENT' } });
    expect(applicationsWith(pkg)).toBe(0);
    await outbox.close();
    const signer = await loggedInSession(portal, 'resident-05');
    const again = await openOutbox(dir, signer);
    const [sent] = await again.resumeAfterLogin();
    expect(sent).toMatchObject({ id: queued.id, state: 'delivered' });
    expect(applicationsWith(pkg)).toBe(1);
  });

  it('survives a SIGKILL after the portal stored the application: exactly one application, same receipt', async () => {
    const pkg = await signPackage('resident-01', sampleDraft('jidou-teate-nintei', 'outbox-crash'));
    const dir = tempDir();
    const pkgFile = join(dir, 'signed.mynapkg');
    writeFileSync(pkgFile, pkg);
    const outboxDir = join(dir, 'outbox');
    const before = count(portal.db, 'applications', 'demo = 0');

    // 1. A main process queues the package and sends it; the portal stores it and answers;
    //    the process dies before the outbox writes down what the portal said.
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('./test-fixtures.ts', import.meta.url)),
        outboxDir,
        portal.url,
        portal.expectedOrigin,
        pkgFile,
      ],
      { stdio: 'pipe' },
    );
    children.push(child);
    const events: Record<string, unknown>[] = [];
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const answered = await new Promise<{ key: string; outcome: DeliveryOutcome }>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (c) => {
        buf += c;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const ev = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
          buf = buf.slice(nl + 1);
          events.push(ev);
          if (ev.event === 'portal-answered') resolve(ev as unknown as { key: string; outcome: DeliveryOutcome });
        }
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before the portal answered: ${stderr}`)));
    });
    const died = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await died;
    expect(child.signalCode).toBe('SIGKILL');

    expect(answered.outcome.kind).toBe('delivered');
    const first = answered.outcome.kind === 'delivered' ? answered.outcome.receipt : undefined;
    expect(applicationsWith(pkg)).toBe(1);
    const id = events.find((e) => e.event === 'enqueued')?.id as string;
    const onDisk = JSON.parse(readFileSync(join(outboxDir, 'items', id, 'item.json'), 'utf8'));
    expect(onDisk).toMatchObject({ state: 'sending', attempts: 1, idempotencyKey: answered.key });
    expect(existsSync(join(outboxDir, 'items', id, 'package.mynapkg'))).toBe(true);

    // 2. The app starts again (a new process, a new login) on the same folder.
    const session = await loggedInSession(portal);
    const outbox = await openOutbox(outboxDir, session);
    expect(outbox.get(id)).toMatchObject({ state: 'pending', lastError: { code: 'INTERRUPTED' } });
    const item = await outbox.deliverNow(id);

    // 3. The same receipt, and the portal holds the application once.
    expect(item).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(item.receipt).toEqual(first);
    expect(applicationsWith(pkg)).toBe(1);
    expect(count(portal.db, 'applications', 'demo = 0')).toBe(before + 1);
    expect(applicationInconsistencies(portal.db)).toEqual([]);
    expect(existsSync(join(outboxDir, 'items', id, 'package.mynapkg'))).toBe(false);
    const list = (await (await session.fetch('/api/v1/me/applications?pageSize=100')).json()) as {
      items: { receiptNumber: string }[];
    };
    expect(list.items.filter((i) => i.receiptNumber === first?.receiptNumber)).toHaveLength(1);
  }, 60_000);
});
