/**
 * TEST-ONLY helpers for the portal's tests (imported by *.test.ts only, never by the service).
 * Login assertions are made here with node:crypto and the demo residents' auth keys, exactly as
 * the card would: RSA PKCS#1 v1.5 over SHA-256(challenge ‖ UTF-8(origin)).
 */
import { createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { loadDemoCardJson } from '../../resources/demo/load.ts';
import type { Db } from '../db/database.ts';
import { type RunningPortal, type StartPortalOptions, startPortal } from '../start.ts';

export interface TestPortal extends RunningPortal {
  dataDir: string;
  clock: TestClock;
  db: Db;
  /** close() and remove the data directory. */
  dispose(): Promise<void>;
}

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
  set(d: Date): void;
}

export function testClock(start = new Date()): TestClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}

/** A portal on a fresh temp data dir with the demo seed and a controllable clock. */
export async function startTestPortal(options: Partial<StartPortalOptions> = {}): Promise<TestPortal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'myna-portal-test-'));
  const clock = testClock();
  const portal = await startPortal({
    seed: 'demo',
    now: clock.now,
    rateLimits: {
      challenge: { max: 10_000, timeWindow: 60_000 },
      login: { max: 10_000, timeWindow: 60_000 },
      submission: { max: 10_000, timeWindow: 60_000 },
    },
    ...options,
    dataDir,
  });
  return {
    ...portal,
    dataDir,
    clock,
    db: portal.app.portal.db,
    dispose: async () => {
      await portal.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface DemoCard {
  authCert: Uint8Array;
  authKey: Uint8Array;
  signCert: Uint8Array;
  signKey: Uint8Array;
}

export function demoCard(id: string): DemoCard {
  const j = loadDemoCardJson(id);
  const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
  return { authCert: b(j.authCert), authKey: b(j.authKey), signCert: b(j.signCert), signKey: b(j.signKey) };
}

/** What the card does for a login: sign challenge ‖ UTF-8(origin) with the key (PKCS#8 DER). */
export function signChallenge(pkcs8: Uint8Array, challenge: Uint8Array, origin: string): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  return new Uint8Array(cryptoSign('sha256', Buffer.concat([challenge, Buffer.from(origin, 'utf8')]), key));
}

export interface Challenge {
  challengeId: string;
  challenge: string;
  expiresAt: string;
}

export async function getChallenge(portal: RunningPortal): Promise<Challenge> {
  const r = await portal.app.inject({ method: 'POST', url: '/api/v1/auth/challenge' });
  if (r.statusCode !== 201) throw new Error(`challenge: ${r.statusCode} ${r.body}`);
  return r.json() as Challenge;
}

export interface AssertionOptions {
  origin?: string;
  /** Sign with this key instead of the card's auth key. */
  key?: Uint8Array;
  /** Present this certificate instead of the card's auth certificate. */
  certificate?: Uint8Array;
}

export function loginBody(portal: RunningPortal, ch: Challenge, residentId: string, o: AssertionOptions = {}) {
  const card = demoCard(residentId);
  const signature = signChallenge(
    o.key ?? card.authKey,
    new Uint8Array(Buffer.from(ch.challenge, 'base64url')),
    o.origin ?? portal.expectedOrigin,
  );
  return {
    challengeId: ch.challengeId,
    signature: Buffer.from(signature).toString('base64'),
    authCertificate: Buffer.from(o.certificate ?? card.authCert).toString('base64'),
  };
}

export async function postLogin(
  portal: RunningPortal,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return portal.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body as object, headers });
}

/** Logs a demo resident in; returns the `Cookie` header value for later requests. */
export async function login(portal: RunningPortal, residentId: string, o: AssertionOptions = {}): Promise<string> {
  const r = await postLogin(portal, loginBody(portal, await getChallenge(portal), residentId, o));
  if (r.statusCode !== 200) throw new Error(`login ${residentId}: ${r.statusCode} ${r.body}`);
  return sessionCookie(r);
}

export function sessionCookie(r: LightMyRequestResponse): string {
  const set = r.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : [set]).find((c) => typeof c === 'string' && c.startsWith('myna_session='));
  if (!line) throw new Error('no myna_session cookie');
  return line.split(';')[0] as string;
}

/** SHA-256 of every table's rows, per table — compare before/after to prove nothing changed. */
export function dbDigest(db: Db, exclude: string[] = []): Record<string, string> {
  const tables = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as {
      name: string;
    }[]
  )
    .map((t) => t.name)
    .filter((t) => !exclude.includes(t));
  const out: Record<string, string> = {};
  for (const t of tables) {
    const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
    const text = JSON.stringify(rows, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
    out[t] = createHash('sha256').update(text).digest('hex');
  }
  return out;
}

export function count(db: Db, table: string, where = '1', ...args: unknown[]): number {
  return (db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get(...args) as { n: number }).n;
}

/** Asserts a problem document with this status and code; returns it. */
export function expectProblem(
  r: LightMyRequestResponse | { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  const doc = JSON.parse(r.body) as Record<string, unknown>;
  const ct = String(r.headers['content-type'] ?? '');
  if (r.statusCode !== status || doc.code !== code || !ct.startsWith('application/problem+json')) {
    throw new Error(`expected ${status} ${code} (problem+json), got ${r.statusCode} ${ct} ${r.body}`);
  }
  for (const k of ['type', 'title', 'status', 'detail', 'code']) {
    if (!(k in doc)) throw new Error(`problem document without ${k}: ${r.body}`);
  }
  if (doc.status !== status) throw new Error(`problem status ${doc.status} ≠ HTTP ${status}`);
  if (/"stack"|\bat [^"]*\([^"]*:\d+:\d+\)/.test(r.body)) throw new Error(`a stack trace leaked: ${r.body}`);
  return doc;
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });
