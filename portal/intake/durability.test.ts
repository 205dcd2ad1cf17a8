/**
 * Durability of the intake (issue 4 "Done when"): the portal runs as a real child process
 * (`node portal/cli.ts`), is SIGKILLed while submissions are in flight — some verified, some
 * committing, some acknowledged — and restarted on the same data directory. Then: no
 * half-stored application (every row has its package, verification, history, idempotency key
 * and activity entry; nothing points nowhere; SQLite integrity and foreign keys hold), every
 * acknowledged receipt survived, and retrying every submission with its Idempotency-Key yields
 * exactly one application per key.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../db/database.ts';
import { loginBody } from '../service/test-support.ts';
import type { RunningPortal } from '../start.ts';
import { APPLICATION_PACKAGE_MEDIA_TYPE } from './submit.ts';
import { applicationInconsistencies, sampleDraft, signPackage } from './test-support.ts';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'myna-portal-durability-'));
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startPortal(): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--seed', 'demo'], {
    stdio: 'pipe',
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${err}`)), 20_000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/^portal ready: (\S+)$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code ?? signal}: ${err}`));
    });
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

async function loginOver(url: string, residentId: string): Promise<string> {
  const ch = await (await fetch(`${url}/api/v1/auth/challenge`, { method: 'POST' })).json();
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(loginBody({ expectedOrigin: url } as RunningPortal, ch, residentId)),
  });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
  const line = r.headers.getSetCookie().find((c) => c.startsWith('myna_session='));
  if (!line) throw new Error('no session cookie');
  return line.split(';')[0] as string;
}

interface Outcome {
  key: string;
  status?: number;
  receiptNumber?: string;
  applicationId?: string;
  error?: string;
}

async function post(url: string, cookie: string, key: string, bytes: Uint8Array): Promise<Outcome> {
  try {
    const r = await fetch(`${url}/api/v1/me/applications`, {
      method: 'POST',
      headers: { cookie, 'content-type': APPLICATION_PACKAGE_MEDIA_TYPE, 'idempotency-key': key },
      body: new Uint8Array(bytes),
    });
    const body = (await r.json()) as { receiptNumber?: string; applicationId?: string };
    return { key, status: r.status, receiptNumber: body.receiptNumber, applicationId: body.applicationId };
  } catch (e) {
    return { key, error: (e as Error).message };
  }
}

function inspect() {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT k.key, a.id, a.receipt_number FROM applications a
         JOIN idempotency_keys k ON k.resource_id = a.id AND k.scope = 'application'
         WHERE a.demo = 0 AND a.resident_id = 'resident-01'`,
      )
      .all() as { key: string; id: string; receipt_number: string }[];
    const real = (db.prepare('SELECT count(*) AS n FROM applications WHERE demo = 0').get() as { n: number }).n;
    return { problems: applicationInconsistencies(db), byKey: new Map(rows.map((r) => [r.key, r])), real };
  } finally {
    db.close();
  }
}

describe('kill -9 during submissions, restart on the same data dir', () => {
  it('leaves no half-stored application, and retries yield exactly one application per key', async () => {
    const N = 12;
    const packages = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        signPackage('resident-01', sampleDraft('jidou-teate-nintei', `durable-${i}`)),
      ),
    );
    const keys = packages.map((_, i) => `durability-key-${String(i).padStart(4, '0')}`);
    const acknowledged = new Map<string, Outcome>();

    // Two crashes, each while other submissions are verifying or committing: right after this
    // round's first new receipt (201) came back, then after its third.
    for (const killAfter of [1, 3]) {
      const { child, url } = await startPortal();
      const cookie = await loginOver(url, 'resident-01');
      let created = 0;
      let release: () => void = () => {};
      const enough = new Promise<void>((r) => {
        release = r;
      });
      const inFlight = keys.map((k, i) =>
        post(url, cookie, k, packages[i] as Uint8Array).then((o) => {
          if (o.status === 201 && ++created >= killAfter) release();
          return o;
        }),
      );
      await Promise.race([enough, Promise.all(inFlight)]);
      child.kill('SIGKILL');
      const outcomes = await Promise.all(inFlight);
      await exited(child);
      for (const o of outcomes) {
        if (o.status === 201 || o.status === 200) {
          const earlier = acknowledged.get(o.key);
          if (earlier) expect(o.receiptNumber).toBe(earlier.receiptNumber);
          acknowledged.set(o.key, o);
        } else {
          expect(o.status ?? 0, JSON.stringify(o)).toBe(0); // no answer: the process died
        }
      }

      const after = inspect();
      expect(after.problems, `killed after ${killAfter}`).toEqual([]);
      expect(after.real).toBe(after.byKey.size); // every stored application has its key
      for (const [key, o] of acknowledged) {
        expect(after.byKey.get(key)?.receipt_number, `acknowledged ${key} survived`).toBe(o.receiptNumber);
      }
    }

    // Restart and retry every submission with its key: what was stored (acknowledged or not) is
    // replayed with its receipt, the rest is created now.
    const stored = inspect().byKey;
    const { child, url } = await startPortal();
    const cookie = await loginOver(url, 'resident-01');
    const retried = await Promise.all(keys.map((k, i) => post(url, cookie, k, packages[i] as Uint8Array)));
    for (const o of retried) {
      const before = stored.get(o.key);
      expect(o.status, JSON.stringify(o)).toBe(before ? 200 : 201);
      if (before) expect(o.receiptNumber).toBe(before.receipt_number);
      const earlier = acknowledged.get(o.key);
      if (earlier) expect(o.receiptNumber).toBe(earlier.receiptNumber);
    }
    // And once more: everything is a replay now.
    const again = await Promise.all(keys.map((k, i) => post(url, cookie, k, packages[i] as Uint8Array)));
    expect(again.map((o) => o.status)).toEqual(keys.map(() => 200));
    expect(again.map((o) => o.receiptNumber)).toEqual(retried.map((o) => o.receiptNumber));

    const final = inspect();
    expect(final.problems).toEqual([]);
    expect(final.real).toBe(N);
    expect([...final.byKey.keys()].sort()).toEqual([...keys].sort());
    expect(new Set([...final.byKey.values()].map((r) => r.receipt_number)).size).toBe(N);

    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode).toBe(0);
  }, 90_000);
});
