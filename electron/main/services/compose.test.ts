/**
 * Main's services as Electron and the test host start them: the embedded reference portal,
 * the demo card, consent, signing, settings and the outbox, driven through the IPC handlers
 * the way a page and a consent window would. Nothing is mocked but the window that shows
 * the consent (the presenter) — the resident's answers go through the consent channels.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleApplication } from '../../../portal/kosodate/samples.ts';
import type { ConsentView } from '../../ipc/contract.ts';
import { type CallContext, dispatch } from '../ipc/dispatch.ts';
import { type MainServices, startMainServices } from './compose.ts';

const portalWin: CallContext = { windowKind: 'portal', windowId: 'p' };
const consentWin: CallContext = { windowKind: 'consent', windowId: 'c' };
const dirs: string[] = [];
const running: MainServices[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dir: string, over: { kiosk?: boolean } = {}) {
  let shown = 0;
  const s = await startMainServices({
    userDataDir: dir,
    portalUrl: null,
    appOrigin: 'http://127.0.0.1:1',
    runtime: 'test-host',
    presenter: { show: () => shown++, close: () => {} },
    card: 'emulator',
    ...over,
  });
  running.push(s);
  const views: ConsentView[] = [];
  s.events.addSender((_k, channel, payload) => {
    if (channel === 'consent:update') views.push(payload as ConsentView);
  });
  const call = async (channel: string, req: unknown = {}, ctx = portalWin) => dispatch(s.handlers, channel, req, ctx);
  const resident = async (pin: string) => {
    for (let i = 0; i < 1000; i++) {
      const v = views.at(-1);
      if (v && (v.state === 'ready' || v.state === 'wrong-pin') && s.consent.busy)
        return call('consent:submit', { id: v.id, pin }, consentWin);
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('no consent window');
  };
  const login = async () => {
    const ch = (await (await s.portalSession.fetch('/api/v1/auth/challenge', { method: 'POST' })).json()) as {
      challengeId: string;
      challenge: string;
    };
    const pending = call('auth:login', { challenge: ch.challenge });
    await resident('1234');
    const r = await pending;
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const a = r.value as { signature: string; authCertificate: string };
    const res = await s.portalSession.fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challengeId: ch.challengeId, signature: a.signature, authCertificate: a.authCertificate }),
    });
    return res.status;
  };
  const draft = () => {
    const a = sampleApplication('jidou-teate-nintei');
    return {
      procedureId: a.procedureId,
      municipalityCode: a.municipalityCode,
      form: a.form,
      attachments: [
        {
          name: '通帳の写し.pdf',
          mediaType: 'application/pdf',
          bytesBase64: Buffer.from('%PDF-1.4\n% 通帳\n%%EOF\n').toString('base64'),
        },
      ],
    };
  };
  return { s, call, resident, login, draft, views, shown: () => shown };
}

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'myna-main-'));
  dirs.push(d);
  return d;
}

describe('startMainServices', () => {
  it('logs in through the card against the embedded portal and delivers a signed application with a receipt', async () => {
    const t = await start(tmp());
    const info = await t.call('app:info');
    expect(info).toMatchObject({ ok: true, value: { demoMode: true, kiosk: false, portalOrigin: t.s.portalOrigin } });
    expect(await t.login()).toBe(200);
    const consentLogin = t.views.find((v) => v.state === 'ready');
    expect(consentLogin?.purpose).toEqual({ kind: 'login', origin: t.s.portalOrigin });

    const pending = t.call('application:sign', { draft: t.draft() });
    await t.resident('ABC123');
    const r = await pending;
    expect(r).toMatchObject({
      ok: true,
      value: { delivery: 'delivered', receipt: { receiptNumber: expect.stringMatching(/^R\d+-131016-\d{6}$/) } },
    });
    const signView = t.views.filter((v) => v.purpose.kind === 'sign-application').at(0);
    // Names come from the portal's catalog, looked up by main.
    expect(signView?.purpose).toMatchObject({
      procedureName: expect.any(String),
      municipalityName: expect.stringContaining('千代田'),
    });
    const list = await t.call('outbox:list');
    expect(list).toMatchObject({ ok: true, value: { items: [{ state: 'delivered' }] } });
    const mine = await (await t.s.portalSession.fetch('/api/v1/me/applications')).json();
    expect(JSON.stringify(mine)).toContain(
      (r as { value: { receipt: { receiptNumber: string } } }).value.receipt.receiptNumber,
    );
  });

  it('without a session the signed package waits in the outbox and goes out after the next login, once', async () => {
    const dir = tmp();
    const t = await start(dir);
    const pending = t.call('application:sign', { draft: t.draft() });
    await t.resident('ABC123');
    expect(await pending).toMatchObject({ ok: true, value: { delivery: 'needs-login' } });
    expect(await t.login()).toBe(200);
    let items: { state: string; receipt?: { receiptNumber: string } }[] = [];
    for (let i = 0; i < 500; i++) {
      const l = await t.call('outbox:list');
      items = l.ok ? (l.value as { items: typeof items }).items : [];
      if (items[0]?.state === 'delivered') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(items).toMatchObject([{ state: 'delivered', receipt: { receiptNumber: expect.any(String) } }]);
    const mine = (await (await t.s.portalSession.fetch('/api/v1/me/applications')).json()) as {
      items: { receiptNumber: string }[];
    };
    expect(mine.items.filter((a) => a.receiptNumber === items[0]?.receipt?.receiptNumber)).toHaveLength(1);
  });

  it('kiosk: no outbox, the session end drops the portal cookies and cancels an open consent', async () => {
    const t = await start(tmp(), { kiosk: true });
    expect(t.s.outbox).toBeUndefined();
    expect(await t.login()).toBe(200);
    expect(t.s.portalSession.hasSessionCookie()).toBe(true);
    const pending = t.call('auth:login', { challenge: Buffer.alloc(32).toString('base64url') });
    for (let i = 0; i < 500 && !t.s.consent.busy; i++) await new Promise((r) => setTimeout(r, 2));
    t.s.endSession();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CONSENT_CANCELLED' } });
    expect(t.s.portalSession.hasSessionCookie()).toBe(false);
    expect((await t.s.portalSession.fetch('/api/v1/me')).status).toBe(401);
  });

  it('restart on the same user-data folder keeps settings and the outbox history', async () => {
    const dir = tmp();
    const t = await start(dir);
    await t.call('settings:set', { language: 'en' });
    expect(await t.login()).toBe(200);
    const pending = t.call('application:sign', { draft: t.draft() });
    await t.resident('ABC123');
    expect((await pending).ok).toBe(true);
    await t.s.close();
    running.splice(running.indexOf(t.s), 1);
    const again = await start(dir);
    expect(await again.call('settings:get')).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(await again.call('outbox:list')).toMatchObject({ ok: true, value: { items: [{ state: 'delivered' }] } });
  });
});

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('kiosk: nothing of a resident reaches the disk (issue 5)', () => {
  it('the page’s language lasts for the session only: the settings file is unchanged, the consent greets in it, the session end brings back ja', async () => {
    const dir = tmp();
    const t = await start(dir, { kiosk: true });
    const file = join(dir, 'config.json');
    const before = readFileSync(file, 'utf8');

    expect(await t.call('settings:set', { language: 'en' })).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(await t.call('settings:get')).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(await t.call('app:info')).toMatchObject({ ok: true, value: { language: 'en', kiosk: true } });
    expect(readFileSync(file, 'utf8')).toBe(before);
    // What a provisioned kiosk refuses, refused alike.
    expect(await t.call('settings:set', { preferredReader: 'Reader 1' })).toMatchObject({
      ok: false,
      error: { code: 'SETTINGS_PROVISIONED' },
    });
    expect(await t.call('settings:set', { language: 'fr' })).toMatchObject({ ok: false });

    const pending = t.call('auth:login', { challenge: Buffer.alloc(32).toString('base64url') });
    for (let i = 0; i < 500 && !t.views.some((v) => v.state === 'ready'); i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(t.views.at(-1)).toMatchObject({ state: 'ready', language: 'en', kiosk: true });

    t.s.endSession();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CONSENT_CANCELLED' } });
    expect(await t.call('settings:get')).toMatchObject({ ok: true, value: { language: 'ja' } });
    expect(await t.call('app:info')).toMatchObject({ ok: true, value: { language: 'ja' } });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('after a login and a signed application, the user-data folder holds only the settings; the demo portal’s data goes with close()', async () => {
    const dir = tmp();
    const temp = tmp();
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = temp; // where the kiosk's demo portal makes its folder (os.tmpdir())
    try {
      const t = await start(dir, { kiosk: true });
      expect(await t.login()).toBe(200);
      const pending = t.call('application:sign', { draft: t.draft() });
      await t.resident('ABC123');
      expect(await pending).toMatchObject({ ok: true, value: { delivery: 'delivered' } });
      t.s.endSession();

      const applicant = t.draft().form.applicant as { name: string; nameKana: string };
      expect(applicant.name).toBe('見本　花子');
      const holding = (root: string) =>
        listFiles(root).filter((f) => {
          const bytes = readFileSync(join(root, f));
          return bytes.includes(applicant.name) || bytes.includes(applicant.nameKana);
        });
      expect(listFiles(dir)).toEqual(['config.json']);
      expect(holding(dir)).toEqual([]);
      // The submission did land somewhere: in the kiosk's temporary portal folder.
      const portalDirs = readdirSync(temp).filter((d) => d.startsWith('myna-kiosk-portal-'));
      expect(portalDirs).toHaveLength(1);
      expect(holding(join(temp, portalDirs[0] as string)).length).toBeGreaterThan(0);

      await t.s.close();
      running.splice(running.indexOf(t.s), 1);
      expect(readdirSync(temp)).toEqual([]);
      expect(listFiles(dir)).toEqual(['config.json']);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
  });
});
