/**
 * The main process's life against the fakes: what happens before `ready`, the refusal of
 * debugging switches, the windows and sessions it creates, kiosk wipes, quitting.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  app,
  dialog,
  type FakeBrowserWindow,
  ipcMain,
  Menu,
  mock,
  protocol,
  resetElectronMock,
  session,
} from '../../tests/mocks/electron.ts';
import type { CardEvent, CardState } from '../ipc/contract.ts';
import { APP_ORIGIN, type AppMainDeps, runApp } from './app-main.ts';
import { EventHub } from './ipc/dispatch.ts';
import { PortalSession } from './portal/portal-session.ts';
import { buildCsp } from './security/csp.ts';
import type { MainConfig, MainServices } from './services/compose.ts';

let appRoot: string;
beforeAll(() => {
  appRoot = mkdtempSync(join(tmpdir(), 'myna-appmain-'));
  mkdirSync(join(appRoot, 'out', 'renderer'), { recursive: true });
  writeFileSync(join(appRoot, 'out', 'renderer', 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(appRoot, 'out', 'renderer', 'consent.html'), '<!doctype html><title>consent</title>');
});
afterAll(() => rmSync(appRoot, { recursive: true, force: true }));
beforeEach(() => resetElectronMock());

class FakeCard extends EventEmitter<{ event: [CardEvent] }> {
  present = false;
  state(): CardState {
    return {
      service: 'up',
      readers: [],
      card: this.present ? { status: 'present', reader: 'R', demo: true, atr: '3B' } : { status: 'absent' },
    };
  }
}

function fakeServices(opts: { kiosk?: boolean } = {}) {
  const log: string[] = [];
  let config: MainConfig | undefined;
  const card = new FakeCard();
  const portalSession = new PortalSession('https://portal.example.lg.jp');
  const services = {
    handlers: {},
    events: new EventHub(),
    portalSession,
    portalOrigin: 'https://portal.example.lg.jp',
    card,
    consent: { cancel: () => log.push('consent.cancel') },
    settings: { get: () => ({ kiosk: { enabled: opts.kiosk ?? false, idleTimeoutSeconds: 120 } }) },
    outbox: undefined,
    portal: undefined,
    kiosk: opts.kiosk ?? false,
    demoMode: true,
    endSession: () => log.push('endSession'),
    close: async () => {
      log.push('close');
    },
  };
  const startMainServices = async (cfg: MainConfig) => {
    config = cfg;
    log.push('start');
    return services as unknown as MainServices;
  };
  return { log, card, services, startMainServices, config: () => config };
}

async function start(deps: Partial<AppMainDeps> & Pick<AppMainDeps, 'startMainServices'>) {
  const running = runApp({
    argv: ['/opt/myna/myna-companion'],
    env: { PCSCLITE_CSOCK_NAME: join(appRoot, 'no-such-socket') },
    platform: 'darwin',
    appRoot,
    logError: () => {},
    ...deps,
  });
  app.fireReady();
  return running;
}

const windows = () => mock.created.filter((w) => !w.isDestroyed());

describe('before ready', () => {
  it('#4 sandboxes every renderer, takes the single-instance lock, registers app:// as privileged — before ready', async () => {
    const { startMainServices, log } = fakeServices();
    const running = runApp({
      startMainServices,
      argv: ['x'],
      env: {},
      platform: 'darwin',
      appRoot,
      logError: () => {},
    });
    // Nothing async has happened yet: these ran synchronously, before `ready`.
    expect(app.sandboxEnabled).toBe(true);
    expect(protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: {
          standard: true,
          secure: true,
          supportFetchAPI: true,
          corsEnabled: false,
          bypassCSP: false,
          allowServiceWorkers: false,
          stream: false,
          codeCache: false,
        },
      },
    ]);
    expect(log).toEqual([]);
    app.fireReady();
    expect((await running).started).toBe(true);
    expect(log).toEqual(['start']);
  });

  it('a second instance quits and starts nothing', async () => {
    const { startMainServices, log } = fakeServices();
    app.singleInstanceLock = false;
    const outcome = await start({ startMainServices });
    expect(outcome).toEqual({ started: false, reason: 'another instance is running' });
    expect(app.quitCalls).toBe(1);
    expect(log).toEqual([]);
  });

  it('a bad --portal-url stops the start with a ja/en message', async () => {
    const { startMainServices, log } = fakeServices();
    const outcome = await start({ startMainServices, argv: ['x', '--portal-url=http://portal.example/'] });
    expect(outcome.started).toBe(false);
    expect(app.exitCode).toBe(2);
    expect(dialog.errors[0]?.content).toMatch(/--portal-url/);
    expect(log).toEqual([]);
  });
});

describe('debug-switch refusal (electron-anchors §2.2)', () => {
  for (const flag of ['--remote-debugging-port=9222', '--inspect', '--inspect-brk=9229', '--no-sandbox']) {
    it(`kiosk mode refuses to start with ${flag}`, async () => {
      const { startMainServices, log } = fakeServices({ kiosk: true });
      const outcome = await start({ startMainServices, argv: ['x', '--kiosk', flag] });
      expect(outcome.started).toBe(false);
      expect(app.exitCode).toBe(3);
      expect(dialog.errors[0]?.content).toContain('キオスクモード');
      expect(dialog.errors[0]?.content).toContain('kiosk mode');
      expect(log).toEqual([]);
      expect(mock.created).toEqual([]);
    });
  }

  it('a production (packaged) build refuses as well', async () => {
    const { startMainServices } = fakeServices();
    app.isPackaged = true;
    const outcome = await start({ startMainServices, argv: ['x', '--remote-debugging-port=9222'] });
    expect(outcome.started).toBe(false);
    expect(dialog.errors[0]?.content).toContain('production');
  });

  it('what Chromium reports through app.commandLine.hasSwitch counts too', async () => {
    const { startMainServices } = fakeServices();
    app.isPackaged = true;
    app.commandLine.switches.set('remote-debugging-pipe', '');
    expect((await start({ startMainServices })).started).toBe(false);
  });

  it('kiosk mode provisioned in the settings file (no --kiosk) is refused before any service starts', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'myna-appmain-userdata-'));
    try {
      const provisioned = JSON.stringify({ schemaVersion: 2, kiosk: { enabled: true } });
      writeFileSync(join(userData, 'config.json'), provisioned);
      app.setPath('userData', userData);
      const { startMainServices, log } = fakeServices({ kiosk: true });
      app.commandLine.switches.set('no-sandbox', '');
      const outcome = await start({ startMainServices });
      expect(outcome).toEqual({ started: false, reason: 'refused: --no-sandbox' });
      expect(app.exitCode).toBe(3);
      expect(dialog.errors[0]?.content).toContain('kiosk mode');
      expect(log).toEqual([]);
      expect(app.sandboxEnabled).toBe(false);
      expect(mock.created).toEqual([]);
      // Read, not written: the services' own open() sees the file as the administrator left it.
      expect(readFileSync(join(userData, 'config.json'), 'utf8')).toBe(provisioned);
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });

  it('kiosk mode the services report although the early read did not see it is still refused', async () => {
    const { startMainServices, log } = fakeServices({ kiosk: true });
    app.commandLine.switches.set('no-sandbox', '');
    const outcome = await start({ startMainServices });
    expect(outcome.started).toBe(false);
    expect(log).toEqual(['start', 'close']);
    expect(mock.created).toEqual([]);
  });

  it('a development build starts with them (Playwright’s _electron adds --inspect=0 --remote-debugging-port=0)', async () => {
    const { startMainServices } = fakeServices();
    const outcome = await start({ startMainServices, argv: ['x', '--inspect=0', '--remote-debugging-port=0'] });
    expect(outcome.started).toBe(true);
  });
});

describe('after ready (desktop)', () => {
  it('starts the services with our origin and the command line, then opens the portal window from app://', async () => {
    const s = fakeServices();
    const outcome = await start({
      startMainServices: s.startMainServices,
      argv: ['x', '--portal-url', 'https://Portal.example.lg.jp/', '--demo'],
    });
    expect(outcome.started).toBe(true);
    expect(s.config()).toMatchObject({
      appOrigin: APP_ORIGIN,
      runtime: 'electron',
      portalUrl: 'https://portal.example.lg.jp',
      demoMode: true,
      userDataDir: app.getPath('userData'),
    });
    expect(s.config()?.kiosk).toBeUndefined();
    const [portal] = windows();
    expect(portal?.webContents.loaded).toEqual([`${APP_ORIGIN}/index.html`]);
    expect(portal?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      devTools: true,
      partition: 'persist:portal',
      preload: join(appRoot, 'out', 'preload', 'portal.cjs'),
    });
    // Development keeps Electron's default menu.
    expect(Menu.applicationMenu).toBeUndefined();
  });

  it('#7 #18 the portal window’s session serves out/renderer over app:// with the CSP for the configured portal', async () => {
    const s = fakeServices();
    await start({ startMainServices: s.startMainServices });
    const r = await session.fromPartition('persist:portal').protocol.fetch(`${APP_ORIGIN}/index.html`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('portal');
    expect(r.headers.get('content-security-policy')).toBe(buildCsp({ portalOrigin: 'https://portal.example.lg.jp' }));
  });

  it('#17 registers the IPC handlers for the contract', async () => {
    await start({ startMainServices: fakeServices().startMainServices });
    expect(ipcMain.handlers.has('app:info')).toBe(true);
    expect(ipcMain.handlers.has('consent:submit')).toBe(true);
  });

  it('production: no DevTools, no application menu', async () => {
    app.isPackaged = true;
    const outcome = await start({ startMainServices: fakeServices().startMainServices });
    expect(outcome.started && outcome.app.mode).toBe('production');
    expect(windows()[0]?.options.webPreferences?.devTools).toBe(false);
    expect(Menu.applicationMenu).toBeNull();
  });

  it('the consent presenter opens a modal child of the portal window; closing it cancels the request', async () => {
    const s = fakeServices();
    await start({ startMainServices: s.startMainServices });
    const presenter = s.config()?.presenter;
    presenter?.show();
    const consent = windows().find((w) => w.options.modal === true) as FakeBrowserWindow;
    expect(consent.webContents.loaded).toEqual([`${APP_ORIGIN}/consent.html`]);
    expect(consent.getParentWindow()).toBe(windows()[0]);
    expect(consent.contentProtection).toBe(true);
    expect(consent.options.webPreferences?.partition).toBe('consent');
    consent.close();
    expect(s.log).toContain('consent.cancel');
  });

  it('every other webContents gets no popups, no webviews and no navigation', async () => {
    await start({ startMainServices: fakeServices().startMainServices });
    const { FakeWebContents, FakeSession, FakeEvent } = await import('../../tests/mocks/electron.ts');
    const stray = new FakeWebContents(new FakeSession('x'));
    app.emit('web-contents-created', new FakeEvent(), stray);
    expect(stray.openWindow('https://myna.go.jp/')).toEqual({ action: 'deny' });
    const nav = FakeEvent.of({ url: `${APP_ORIGIN}/index.html` });
    stray.emit('will-navigate', nav, nav.url);
    expect(nav.defaultPrevented).toBe(true);
    const wv = new FakeEvent();
    stray.emit('will-attach-webview', wv, {}, {});
    expect(wv.defaultPrevented).toBe(true);
  });

  it('quitting closes the services once, then lets the app quit', async () => {
    const s = fakeServices();
    await start({ startMainServices: s.startMainServices });
    let quitAllowed = 0;
    app.on('will-quit', () => quitAllowed++);
    app.quit();
    app.quit();
    await new Promise((r) => setTimeout(r, 0));
    expect(s.log.filter((l) => l === 'close')).toHaveLength(1);
    expect(quitAllowed).toBe(1);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('on Linux without pcscd it warns with the ja/en message and keeps running', async () => {
    const s = fakeServices();
    const outcome = await start({ startMainServices: s.startMainServices, platform: 'linux' });
    expect(outcome.started).toBe(true);
    expect(dialog.messages).toHaveLength(1);
    const shown = dialog.messages[0] as { message: string; detail: string; type: string };
    expect(shown.type).toBe('warning');
    expect(shown.message).toContain('pcscd');
    expect(shown.detail).toContain('pcscd');
    // The same finding is the page's start-up notice.
    const notice = s.config()?.notices?.find((n) => n.code === 'PCSCD_MISSING');
    expect(notice?.message).toEqual({ ja: shown.message, en: shown.detail });
    expect(app.exitCode).toBeUndefined();
  });

  it('elsewhere there is nothing to check', async () => {
    await start({ startMainServices: fakeServices().startMainServices, platform: 'win32' });
    expect(dialog.messages).toEqual([]);
  });

  it('services that fail to start end the app with a message', async () => {
    const outcome = await start({
      startMainServices: async () => {
        throw new Error('settings file corrupt');
      },
    });
    expect(outcome.started).toBe(false);
    expect(app.exitCode).toBe(1);
    expect(dialog.errors).toHaveLength(1);
  });
});

describe('kiosk mode (DESIGN §4)', () => {
  it('a fresh in-memory partition per resident; card out wipes it and shows a new window', async () => {
    const s = fakeServices({ kiosk: true });
    const outcome = await start({ startMainServices: s.startMainServices, argv: ['x', '--kiosk'] });
    expect(outcome.started && outcome.app.mode).toBe('kiosk');
    expect(s.config()?.kiosk).toBe(true);
    expect(Menu.applicationMenu).toBeNull();
    const first = windows()[0] as FakeBrowserWindow;
    const partition = first.options.webPreferences?.partition ?? '';
    expect(partition).toMatch(/^kiosk-[0-9a-f-]{36}$/);
    expect(first.options).toMatchObject({ kiosk: true });
    expect(first.options.webPreferences?.devTools).toBe(false);
    expect(session.fromPartition(partition).getStoragePath()).toBeNull();

    s.card.emit('event', { type: 'card-inserted', reader: 'R', atr: '3B', demo: true });
    s.card.emit('event', { type: 'card-removed', reader: 'R' });
    await new Promise((r) => setTimeout(r, 10));

    expect(first.isDestroyed()).toBe(true);
    expect(session.fromPartition(partition).cleared).toEqual(['clearData', 'clearCache', 'clearAuthCache']);
    expect(s.log.filter((l) => l === 'endSession').length).toBeGreaterThanOrEqual(1);
    const [next] = windows();
    expect(next).toBeDefined();
    expect(next?.options.webPreferences?.partition).not.toBe(partition);
    expect(next?.webContents.loaded).toEqual([`${APP_ORIGIN}/index.html`]);
  });

  it('on Linux without pcscd a kiosk shows no modal dialog (it would block the screen), only the page notice', async () => {
    const s = fakeServices({ kiosk: true });
    const outcome = await start({ startMainServices: s.startMainServices, argv: ['x', '--kiosk'], platform: 'linux' });
    expect(outcome.started && outcome.app.mode).toBe('kiosk');
    await new Promise((r) => setTimeout(r, 0));
    expect(dialog.messages).toEqual([]);
    expect(s.config()?.notices?.map((n) => n.code)).toEqual(['PCSCD_MISSING']);
  });

  it('a card left in after a session end: input in the recreated window starts a watched session, card out wipes it', async () => {
    const s = fakeServices({ kiosk: true });
    const outcome = await start({ startMainServices: s.startMainServices, argv: ['x', '--kiosk'] });
    if (!outcome.started) throw new Error(outcome.reason);
    const controller = outcome.app.kiosk?.controller;
    s.card.emit('event', { type: 'card-inserted', reader: 'R', atr: '3B', demo: true });
    await controller?.end('idle'); // the resident walked away; the card stays in the reader
    const [second] = windows();
    expect(controller?.state).toBe('attract');

    const { FakeEvent } = await import('../../tests/mocks/electron.ts');
    second?.webContents.emit('before-input-event', new FakeEvent(), { type: 'keyDown', key: 'a' });
    expect(controller?.state).toBe('session');
    expect(controller?.sessionId).toBe(2);

    const partition = second?.options.webPreferences?.partition ?? '';
    s.card.emit('event', { type: 'card-removed', reader: 'R' });
    await new Promise((r) => setTimeout(r, 10));
    expect(second?.isDestroyed()).toBe(true);
    expect(session.fromPartition(partition).cleared).toEqual(['clearData', 'clearCache', 'clearAuthCache']);
    expect(controller?.state).toBe('attract');
  });

  it('window-all-closed does not quit a kiosk', async () => {
    await start({ startMainServices: fakeServices({ kiosk: true }).startMainServices, argv: ['x', '--kiosk'] });
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(0);
  });
});
