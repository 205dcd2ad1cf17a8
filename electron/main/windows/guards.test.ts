import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeEvent, FakeSession, FakeWebContents, resetElectronMock } from '../../../tests/mocks/electron.ts';
import { externalHostsFor } from '../security/external.ts';
import type { RunMode } from '../security/web-preferences.ts';
import { guardWebContents } from './guards.ts';

const APP = 'app://myna-companion';

function guarded(mode: RunMode, kind: 'portal' | 'consent' = 'portal') {
  const contents = new FakeWebContents(new FakeSession('persist:portal'));
  const opened: string[] = [];
  let activity = 0;
  guardWebContents(contents as unknown as WebContents, {
    kind,
    appOrigin: APP,
    mode,
    allowedHosts: externalHostsFor('https://portal.example.lg.jp'),
    openExternal: async (url) => {
      opened.push(url);
    },
    onActivity: () => {
      activity++;
    },
  });
  return { contents, opened, activity: () => activity };
}

function navigate(contents: FakeWebContents, event: string, url: string, extra: object = {}) {
  const e = FakeEvent.of({ url, isMainFrame: true, ...extra });
  contents.emit(event, e, url);
  return e.defaultPrevented ? 'blocked' : 'allowed';
}

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => resetElectronMock());

describe('window guards (checklist #12, #13, #14)', () => {
  it('#13 will-navigate: only this window kind’s app:// page', () => {
    const { contents } = guarded('production');
    expect(navigate(contents, 'will-navigate', `${APP}/index.html#/outbox`)).toBe('allowed');
    for (const url of [
      'https://example.com.attacker.com/',
      'app://myna-companion.attacker.example/index.html',
      'app://myna-companion@attacker.example/index.html',
      `${APP}/consent.html`,
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(navigate(contents, 'will-navigate', url), url).toBe('blocked');
    }
  });

  it('#13 will-frame-navigate: sub-frames never navigate; the main frame as will-navigate', () => {
    const { contents } = guarded('production');
    expect(navigate(contents, 'will-frame-navigate', `${APP}/index.html`, { isMainFrame: false })).toBe('blocked');
    expect(navigate(contents, 'will-frame-navigate', 'about:blank', { isMainFrame: false })).toBe('blocked');
    expect(navigate(contents, 'will-frame-navigate', `${APP}/index.html`)).toBe('allowed');
    expect(navigate(contents, 'will-frame-navigate', 'https://attacker.example/')).toBe('blocked');
  });

  it('#13 will-redirect: a redirect cannot take the page away', () => {
    const { contents } = guarded('production');
    expect(navigate(contents, 'will-redirect', 'https://attacker.example/')).toBe('blocked');
    expect(navigate(contents, 'will-redirect', `${APP}/index.html`)).toBe('allowed');
  });

  it('#13 the consent window stays on consent.html', () => {
    const { contents } = guarded('production', 'consent');
    expect(navigate(contents, 'will-navigate', `${APP}/consent.html`)).toBe('allowed');
    expect(navigate(contents, 'will-navigate', `${APP}/index.html`)).toBe('blocked');
  });

  it('#12 will-attach-webview is always prevented', () => {
    const { contents } = guarded('development');
    const e = new FakeEvent();
    contents.emit('will-attach-webview', e, { preload: '/evil.js' }, { src: `${APP}/index.html` });
    expect(e.defaultPrevented).toBe(true);
  });

  it('#14 window.open is denied; an allowlisted https link opens in the browser', async () => {
    const { contents, opened } = guarded('production');
    expect(contents.openWindow('https://myna.go.jp/html/faq.html')).toEqual({ action: 'deny' });
    expect(contents.openWindow('https://attacker.example/')).toEqual({ action: 'deny' });
    expect(contents.openWindow(`${APP}/index.html`)).toEqual({ action: 'deny' });
    expect(contents.openWindow('file:///C:/x.exe')).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual(['https://myna.go.jp/html/faq.html']);
  });

  it('#14 #15 in kiosk mode nothing opens, not even allowlisted links', async () => {
    const { contents, opened } = guarded('kiosk');
    expect(contents.openWindow('https://myna.go.jp/')).toEqual({ action: 'deny' });
    await flush();
    expect(opened).toEqual([]);
  });

  it('before-input-event swallows DevTools/reload/zoom in production and kiosk, reports activity', () => {
    for (const mode of ['production', 'kiosk'] as const) {
      const { contents, activity } = guarded(mode);
      for (const input of [
        { type: 'keyDown', key: 'F12' },
        { type: 'keyDown', key: 'r', control: true },
        { type: 'keyDown', key: '+', control: true },
        { type: 'keyDown', key: 'I', control: true, shift: true },
      ]) {
        const e = new FakeEvent();
        contents.emit('before-input-event', e, input);
        expect(e.defaultPrevented, `${mode} ${JSON.stringify(input)}`).toBe(true);
      }
      const typing = new FakeEvent();
      contents.emit('before-input-event', typing, { type: 'keyDown', key: '7' });
      expect(typing.defaultPrevented).toBe(false);
      expect(activity()).toBe(5);
      expect(contents.visualZoomLevelLimits).toEqual([1, 1]);
    }
  });

  it('development keeps the shortcuts (DevTools are allowed there)', () => {
    const { contents } = guarded('development');
    const e = new FakeEvent();
    contents.emit('before-input-event', e, { type: 'keyDown', key: 'F12' });
    expect(e.defaultPrevented).toBe(false);
    expect(contents.visualZoomLevelLimits).toBeUndefined();
  });

  it('DevTools that open anyway in production are closed again', () => {
    const { contents } = guarded('production');
    contents.openDevTools();
    expect(contents.devToolsOpened).toBe(false);
  });
});
