import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeBrowserWindow, FakeEvent, mock, resetElectronMock, session } from '../../../tests/mocks/electron.ts';
import { buildWebPreferences, type RunMode } from '../security/web-preferences.ts';
import { WindowFactory } from './window-factory.ts';
import { WindowRegistry } from './window-registry.ts';

const APP = 'app://myna-companion';
const PORTAL = 'https://portal.example.lg.jp';

function factory(mode: RunMode) {
  const registry = new WindowRegistry();
  const handled: string[] = [];
  const f = new WindowFactory({
    mode,
    appOrigin: APP,
    preloadDir: '/app/out/preload',
    registry,
    session: {
      portalOrigin: PORTAL,
      handler: async (request) => {
        handled.push(request.url);
        return new Response('ok');
      },
    },
    allowedHosts: ['myna.go.jp'],
    openExternal: async () => {},
  });
  return { f, registry, handled };
}

const last = () => mock.created.at(-1) as FakeBrowserWindow;

beforeEach(() => resetElectronMock());

describe('WindowFactory (checklist #2–#4, #6, #8–#11)', () => {
  it('#4 the BrowserWindow gets exactly buildWebPreferences() (the literal restatement agrees with it)', () => {
    for (const mode of ['development', 'production', 'kiosk'] as const) {
      const { f } = factory(mode);
      const partition = mode === 'kiosk' ? 'kiosk-abc' : 'persist:portal';
      f.create('portal', { partition });
      expect(last().options.webPreferences).toEqual(
        buildWebPreferences('portal', { preloadPath: '/app/out/preload/portal.cjs', partition, mode }),
      );
    }
  });

  it('the portal window loads its page from app://, is registered, and in kiosk mode is a kiosk window', () => {
    const { f, registry } = factory('kiosk');
    const win = f.create('portal', { partition: 'kiosk-abc' }) as unknown as FakeBrowserWindow;
    expect(win.webContents.loaded).toEqual([`${APP}/index.html`]);
    expect(registry.kindOf(win.webContents.id)).toBe('portal');
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true, show: false });
    expect(win.menuRemoved).toBe(true);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('the consent window is a modal, fixed-size child with content protection', () => {
    const { f, registry } = factory('production');
    const parent = f.create('portal', { partition: 'persist:portal' });
    const consent = f.create('consent', { partition: 'consent', parent }) as unknown as FakeBrowserWindow;
    expect(consent.options).toMatchObject({
      modal: true,
      parent,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
    });
    expect(consent.contentProtection).toBe(true);
    expect(consent.options.webPreferences?.preload).toBe('/app/out/preload/consent.cjs');
    expect(consent.options.webPreferences?.partition).toBe('consent');
    expect(consent.webContents.loaded).toEqual([`${APP}/consent.html`]);
    expect(registry.kindOf(consent.webContents.id)).toBe('consent');
    expect((parent as unknown as FakeBrowserWindow).contentProtection).toBe(false);
  });

  it('the development menu stays (DevTools shortcuts), production and kiosk remove it', () => {
    factory('development').f.create('portal', { partition: 'persist:portal' });
    expect(last().menuRemoved).toBe(false);
    factory('production').f.create('portal', { partition: 'persist:portal' });
    expect(last().menuRemoved).toBe(true);
  });

  it('a destroyed window leaves the registry', () => {
    const { f, registry } = factory('production');
    const win = f.create('portal', { partition: 'persist:portal' }) as unknown as BrowserWindow;
    const id = win.webContents.id;
    win.destroy();
    expect(registry.kindOf(id)).toBeUndefined();
    expect(registry.size).toBe(0);
  });
});

describe('session preparation (checklist #1, #5, #18) on every partition, kiosk ones included', () => {
  for (const [mode, partition] of [
    ['production', 'persist:portal'],
    ['production', 'consent'],
    ['kiosk', 'kiosk-1f2e'],
    ['kiosk', 'kiosk-1f2e-consent'],
  ] as const) {
    it(`#5 #18 ${mode} ${partition}: app:// handler, deny-all permissions, request filter`, async () => {
      const { f, handled } = factory(mode);
      f.create(partition.endsWith('consent') ? 'consent' : 'portal', { partition });
      const ses = session.fromPartition(partition);
      // #18: the app:// scheme is served by our handler in this very session.
      expect(ses.protocol.isProtocolHandled('app')).toBe(true);
      await ses.protocol.fetch(`${APP}/index.html`);
      expect(handled).toEqual([`${APP}/index.html`]);
      // #5: permissions.
      let granted: boolean | undefined;
      ses.permissionRequestHandler?.(
        {},
        'media',
        (g) => {
          granted = g;
        },
        { requestingUrl: `${APP}/index.html` },
      );
      expect(granted).toBe(false);
      expect(ses.permissionCheckHandler?.(null, 'notifications', APP)).toBe(false);
      expect(ses.permissionCheckHandler?.(null, 'smart-card', APP)).toBe(false);
      expect(ses.permissionCheckHandler?.(null, 'clipboard-sanitized-write', APP)).toBe(mode !== 'kiosk');
      expect(ses.devicePermissionHandler?.({ deviceType: 'hid' })).toBe(false);
      expect(ses.spellCheckerEnabled).toBe(false);
      // #1: only our origin and the portal.
      expect(ses.filterRequest(`${APP}/assets/a.js`)).toBe(true);
      expect(ses.filterRequest('http://tracker.example/pixel.gif')).toBe(false);
      expect(ses.filterRequest(`${PORTAL}/api/v1/me`)).toBe(true);
      // Kiosk partitions are in memory.
      if (mode === 'kiosk') expect(ses.getStoragePath()).toBeNull();
    });
  }

  it('kiosk sessions refuse downloads', () => {
    const { f } = factory('kiosk');
    f.create('portal', { partition: 'kiosk-77' });
    const e = new FakeEvent();
    session.fromPartition('kiosk-77').emit('will-download', e, {}, null);
    expect(e.defaultPrevented).toBe(true);
  });

  it('a session is prepared once, however many windows use it', () => {
    const { f } = factory('production');
    f.create('portal', { partition: 'persist:portal' });
    expect(() => f.create('portal', { partition: 'persist:portal' })).not.toThrow();
  });
});
