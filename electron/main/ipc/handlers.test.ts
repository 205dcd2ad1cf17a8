/**
 * The channels end to end in-process: the real card stack on the emulator's demo card, the
 * real consent state machine, the real signer, checked by the portal's independent verifier.
 * Settings and outbox are small stand-ins here (their own tests cover them).
 */

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleApplication } from '../../../portal/kosodate/samples.ts';
import {
  demoAuthTrust,
  demoSignTrust,
  readPackageArchive,
  verifyApplicationPackage,
  verifyLoginAssertion,
} from '../../../portal/verify/index.ts';
import type { ConsentView, OutboxItem, SettingsView } from '../../ipc/contract.ts';
import { CardService } from '../services/card-service.ts';
import { ConsentService } from '../services/consent.ts';
import { type CallContext, dispatch } from './dispatch.ts';
import { createHandlers, type HandlerDeps } from './handlers.ts';

const ORIGIN = 'http://127.0.0.1:40123';
const portal: CallContext = { windowKind: 'portal', windowId: 'p' };
const consentWin: CallContext = { windowKind: 'consent', windowId: 'c' };

const settingsView: SettingsView = {
  language: 'ja',
  portalUrl: null,
  demoMode: true,
  preferredReader: null,
  kiosk: { enabled: false, idleTimeoutSeconds: 120 },
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function setup(opts: { resident?: string; kiosk?: boolean } = {}) {
  const card = new CardService({ source: 'emulator', demoMode: true, demoResident: opts.resident ?? 'resident-01' });
  await card.start();
  closers.push(() => card.close());
  const views: ConsentView[] = [];
  const presenter = { show: vi.fn(), close: vi.fn() };
  const consent = new ConsentService({ presenter, publish: (v) => views.push(v) });
  const enqueued: { packageBytes: Uint8Array; fingerprint: string }[] = [];
  const item = (id: string, fingerprint: string, size: number): OutboxItem => ({
    id,
    createdAt: new Date().toISOString(),
    procedureId: 'jidou-teate-nintei',
    municipalityCode: '131016',
    fingerprint,
    packageBytes: size,
    state: 'delivered',
    attempts: 1,
    receipt: { receiptNumber: 'R8-131016-000001', status: '受付済', receivedAt: new Date().toISOString() },
  });
  const outbox = {
    enqueue: vi.fn(async (i: { packageBytes: Uint8Array; fingerprint: string }) => {
      enqueued.push(i);
      return { ...item('o1', i.fingerprint, i.packageBytes.length), state: 'pending' as const, attempts: 0 };
    }),
    deliverNow: vi.fn(async (id: string) =>
      item(id, enqueued[0]?.fingerprint ?? '', enqueued[0]?.packageBytes.length ?? 0),
    ),
    list: vi.fn(() => []),
    retry: vi.fn(),
  };
  const direct = vi.fn(async () => ({
    receiptNumber: 'R8-131016-000002',
    status: '受付済',
    receivedAt: new Date().toISOString(),
  }));
  const deps: HandlerDeps = {
    app: {
      name: 'Myna Companion',
      version: '0.1.0',
      platform: 'linux',
      runtime: 'test-host',
      demoMode: true,
      kiosk: !!opts.kiosk,
    },
    card,
    consent,
    portalOrigin: ORIGIN,
    apiBase: '',
    settings: { view: () => settingsView, update: (p) => ({ ...settingsView, ...p }) },
    outbox: opts.kiosk ? undefined : outbox,
    direct: opts.kiosk ? direct : undefined,
    describeProcedure: async () => ({ procedureName: '児童手当 認定請求', municipalityName: '東京都千代田区' }),
  };
  const handlers = createHandlers(deps);
  const call = (channel: string, req: unknown = {}, ctx = portal) => dispatch(handlers, channel, req, ctx);
  const log = () => card.demoTransport?.log.entries() ?? [];
  /** Acts as the resident at the consent window. */
  const resident = async (pin: string, newPin?: string) => {
    for (let i = 0; i < 500; i++) {
      const v = views.at(-1);
      if (v && (v.state === 'ready' || v.state === 'wrong-pin') && consent.busy) {
        return call('consent:submit', newPin ? { id: v.id, pin, newPin } : { id: v.id, pin }, consentWin);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('consent window never became ready');
  };
  return { call, views, resident, log, outbox, direct, presenter, enqueued, card };
}

const verifies = (entries: readonly { kind: string; header?: string; lc?: number | null }[]) =>
  entries.filter((e) => e.kind === 'apdu' && e.header?.startsWith('0020') && (e.lc ?? 0) > 0);
const signatures = (entries: readonly { kind: string; header?: string }[]) =>
  entries.filter((e) => e.kind === 'apdu' && e.header?.startsWith('802A'));

describe('portal window channels over the demo card', () => {
  it('login: main binds its own portal origin, the consent window shows it, and the assertion verifies', async () => {
    const s = await setup();
    const challenge = Buffer.alloc(32, 7).toString('base64url');
    const pending = s.call('auth:login', { challenge });
    await s.resident('1234');
    const r = await pending;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = s.views.find((x) => x.state === 'ready');
    expect(v?.purpose).toEqual({ kind: 'login', origin: ORIGIN });
    expect(v).toMatchObject({ pin: 'auth', remaining: 3, demo: true });
    const value = r.value as { origin: string; signature: string; authCertificate: string };
    expect(value.origin).toBe(ORIGIN);
    const verdict = await verifyLoginAssertion(
      {
        challenge: Buffer.alloc(32, 7),
        origin: ORIGIN,
        signature: Buffer.from(value.signature, 'base64'),
        authCertificate: Buffer.from(value.authCertificate, 'base64'),
      },
      demoAuthTrust(),
    );
    expect(verdict.valid).toBe(true);
  });

  it('the page cannot choose the origin: an origin in the request is refused before any APDU', async () => {
    const s = await setup();
    const before = s.log().length;
    const r = await s.call('auth:login', {
      challenge: Buffer.alloc(32).toString('base64url'),
      origin: 'https://evil.example',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(s.log().length).toBe(before);
    expect(s.presenter.show).not.toHaveBeenCalled();
  });

  it('no signature without the consent window: a cancelled consent sends no VERIFY and no signature APDU', async () => {
    const s = await setup();
    const a = sampleApplication('jidou-teate-nintei');
    const draft = {
      procedureId: a.procedureId,
      municipalityCode: a.municipalityCode,
      form: a.form,
      attachments: [
        {
          name: '通帳の写し.pdf',
          mediaType: 'application/pdf',
          bytesBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
        },
      ],
    };
    const pending = s.call('application:sign', { draft });
    for (let i = 0; i < 500 && !s.views.some((v) => v.state === 'ready'); i++)
      await new Promise((r) => setTimeout(r, 2));
    await s.call('consent:cancel', { id: s.views.at(-1)?.id }, consentWin);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CONSENT_CANCELLED' } });
    expect(verifies(s.log())).toHaveLength(0);
    expect(signatures(s.log())).toHaveLength(0);
    expect(s.outbox.enqueue).not.toHaveBeenCalled();
  });

  it('sign application: the consent summary is computed from the package that is signed, which verifies', async () => {
    const s = await setup();
    const a = sampleApplication('jidou-teate-nintei');
    const pdf = Buffer.from('%PDF-1.4\n% 通帳\n%%EOF\n');
    const draft = {
      procedureId: a.procedureId,
      municipalityCode: a.municipalityCode,
      form: a.form,
      attachments: [{ name: '通帳の写し.pdf', mediaType: 'application/pdf', bytesBase64: pdf.toString('base64') }],
    };
    const pending = s.call('application:sign', { draft });
    await s.resident('abc123'); // the sign password is case-folded by the PIN rules
    const r = await pending;
    expect(r).toMatchObject({
      ok: true,
      value: { delivery: 'delivered', receipt: { receiptNumber: 'R8-131016-000001' } },
    });
    const shown = s.views.find((v) => v.state === 'ready')?.purpose;
    expect(shown).toMatchObject({
      kind: 'sign-application',
      procedureId: 'jidou-teate-nintei',
      procedureName: '児童手当 認定請求',
      municipalityCode: '131016',
      attachments: [{ name: '通帳の写し.pdf', mediaType: 'application/pdf', size: pdf.length }],
      certificate: 'sign',
    });
    const pkg = s.enqueued[0]?.packageBytes;
    expect(pkg).toBeDefined();
    const verdict = await verifyApplicationPackage(pkg as Uint8Array, demoSignTrust());
    expect(verdict.valid).toBe(true);
    const manifestSha256 = createHash('sha256')
      .update(readPackageArchive(pkg as Uint8Array).manifest)
      .digest('hex');
    expect(shown && 'manifestSha256' in shown && shown.manifestSha256).toBe(manifestSha256);
    expect(signatures(s.log())).toHaveLength(1);
  });

  it('a wrong sign password is shown with the tries left and nothing is queued until the right one', async () => {
    const s = await setup();
    const a = sampleApplication('jidou-teate-nintei');
    const draft = { procedureId: a.procedureId, municipalityCode: a.municipalityCode, form: a.form, attachments: [] };
    const pending = s.call('application:sign', { draft });
    await s.resident('WRONG1');
    for (let i = 0; i < 500 && !s.views.some((v) => v.state === 'wrong-pin'); i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(s.views.find((v) => v.state === 'wrong-pin')?.remaining).toBe(4);
    expect(s.outbox.enqueue).not.toHaveBeenCalled();
    expect(verifies(s.log())).toHaveLength(1);
    await s.resident('ABC123');
    expect((await pending).ok).toBe(true);
    expect(s.outbox.enqueue).toHaveBeenCalledTimes(1);
  });

  it('an applicant too long for the screen is shortened in the consent window, and signed whole', async () => {
    const s = await setup();
    const a = sampleApplication('jidou-teate-nintei');
    const applicant = (a.form as { applicant: Record<string, unknown> }).applicant;
    applicant.address = `東京都千代田区${'一'.repeat(600)}`;
    const draft = { procedureId: a.procedureId, municipalityCode: a.municipalityCode, form: a.form, attachments: [] };
    const pending = s.call('application:sign', { draft });
    await s.resident('ABC123');
    const r = await pending;
    const shown = s.views.find((v) => v.state === 'ready')?.purpose as { applicant?: Record<string, string> };
    if (r.ok) {
      expect([...(shown.applicant?.address ?? '')].length).toBeLessThanOrEqual(400);
      const manifest = JSON.parse(
        Buffer.from(readPackageArchive(s.enqueued[0]?.packageBytes as Uint8Array).manifest).toString('utf8'),
      ) as { form: { applicant: { address: string } } };
      expect(manifest.form.applicant.address).toBe(applicant.address);
    } else {
      // The signer may refuse such a form itself; then no window opened for it.
      expect(s.presenter.show).not.toHaveBeenCalled();
    }
  });

  it('kiosk: the package goes straight to the portal and the outbox channels are not available', async () => {
    const s = await setup({ kiosk: true });
    const a = sampleApplication('jidou-teate-nintei');
    const draft = { procedureId: a.procedureId, municipalityCode: a.municipalityCode, form: a.form, attachments: [] };
    const pending = s.call('application:sign', { draft });
    await s.resident('ABC123');
    expect(await pending).toMatchObject({
      ok: true,
      value: { delivery: 'delivered', receipt: { receiptNumber: 'R8-131016-000002' } },
    });
    expect(s.direct).toHaveBeenCalledTimes(1);
    expect(await s.call('outbox:list')).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
  });

  it('basic info: only the fields the resident agreed to come back', async () => {
    const s = await setup();
    const pending = s.call('card:basic-info', { fields: ['name', 'birthDate'], purpose: '申請書への自動入力' });
    await s.resident('1234');
    const r = await pending;
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.keys(r.value as object).sort()).toEqual(['birthDate', 'name']);
    expect(s.views.find((v) => v.state === 'ready')?.purpose).toEqual({
      kind: 'read-basic-info',
      fields: ['name', 'birthDate'],
      purpose: '申請書への自動入力',
    });
  });

  it('certificates are public data only, PIN status needs no PIN, and the card state labels the demo card', async () => {
    const s = await setup();
    const certs = await s.call('card:certificates');
    expect(certs.ok).toBe(true);
    if (certs.ok) expect(Object.keys(certs.value as object).sort()).toEqual(['auth', 'authCa', 'signCa']);
    expect(verifies(s.log())).toHaveLength(0);
    const pins = await s.call('pin:status');
    expect(pins).toMatchObject({
      ok: true,
      value: { pins: [{ pin: 'auth', remaining: 3 }, { pin: 'sign', remaining: 5 }, { pin: 'kenhojo' }] },
    });
    expect(await s.call('card:state')).toMatchObject({ ok: true, value: { card: { status: 'present', demo: true } } });
  });

  it('a blocked sign password: the consent window opens blocked and no PIN reaches the card', async () => {
    const s = await setup({ resident: 'resident-04' });
    const a = sampleApplication('jidou-teate-nintei');
    const draft = { procedureId: a.procedureId, municipalityCode: a.municipalityCode, form: a.form, attachments: [] };
    const pending = s.call('application:sign', { draft });
    for (let i = 0; i < 500 && !s.views.some((v) => v.state === 'blocked'); i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(await s.call('consent:submit', { id: s.views.at(-1)?.id, pin: 'ABC123' }, consentWin)).toEqual({
      ok: true,
      value: { accepted: false },
    });
    await s.call('consent:cancel', { id: s.views.at(-1)?.id }, consentWin);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'PIN_BLOCKED' } });
    expect(verifies(s.log())).toHaveLength(0);
  });

  it('PIN change goes through the consent window with the current and the new PIN', async () => {
    const s = await setup();
    const pending = s.call('pin:change', { pin: 'auth' });
    await s.resident('1234', '5678');
    expect(await pending).toEqual({ ok: true, value: { changed: true } });
    const again = s.call('auth:login', { challenge: Buffer.alloc(32, 1).toString('base64url') });
    await s.resident('5678');
    expect((await again).ok).toBe(true);
  });

  it('no card at all: NO_CARD with a remedy, and no consent window', async () => {
    const s = await setup();
    s.card.setDemoCardPresent(false);
    const r = await s.call('auth:login', { challenge: Buffer.alloc(32).toString('base64url') });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'NO_CARD', message: { ja: expect.stringMatching(/カード/) } },
    });
    expect(s.presenter.show).not.toHaveBeenCalled();
    expect(await s.call('card:state')).toMatchObject({ ok: true, value: { card: { status: 'absent' } } });
  });
});
