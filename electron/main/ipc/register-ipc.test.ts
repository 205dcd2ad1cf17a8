/**
 * Electron security checklist #17: every IPC message's sender is validated, with fake events
 * from fake frames (the pattern of electron/fiddle's tests/main/ipc.spec.ts).
 */
import type { IpcMain, WebContents } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  FakeSession,
  FakeWebContents,
  FakeWebFrameMain,
  invokeEvent,
  ipcMain,
  resetElectronMock,
} from '../../../tests/mocks/electron.ts';
import { type CardEvent, type ConsentView, ConsentViewSchema } from '../../ipc/contract.ts';
import type { IpcResult } from '../../ipc/result.ts';
import { type Channel, SURFACE } from '../../ipc/surface.ts';
import { WindowRegistry } from '../windows/window-registry.ts';
import { EventHub, type Handlers } from './dispatch.ts';
import { invokeChannels, registerIpc, senderInfoOf } from './register-ipc.ts';

const APP = 'app://myna-companion';

const APP_INFO = {
  name: 'Myna Companion',
  version: '1.0.0',
  platform: 'linux',
  runtime: 'electron',
  demoMode: true,
  kiosk: false,
  portalOrigin: 'http://127.0.0.1:4000',
  apiBase: '',
  language: 'ja',
  notices: [],
};

const CONSENT_BASE = {
  id: 'c1',
  purpose: { kind: 'login', origin: 'http://127.0.0.1:4000' },
  pin: 'auth',
  remaining: 3,
  max: 3,
  state: 'ready',
  demo: true,
  language: 'ja',
  kiosk: false,
};
const CONSENT = ConsentViewSchema.parse(CONSENT_BASE) as ConsentView;

function setup() {
  const calls: { channel: string; windowKind: string; windowId: string }[] = [];
  const handlers = Object.fromEntries(
    invokeChannels().map((c) => [
      c,
      (_req: unknown, ctx: { windowKind: string; windowId: string }) => {
        calls.push({ channel: c, ...ctx });
        if (c === 'app:info') return APP_INFO;
        if (c === 'consent:get') return CONSENT;
        throw new Error('not in this test');
      },
    ]),
  ) as unknown as Handlers;
  const registry = new WindowRegistry();
  const events = new EventHub();
  const refused: string[] = [];
  const undo = registerIpc({
    ipcMain: ipcMain as unknown as IpcMain,
    handlers,
    events,
    registry,
    appOrigin: APP,
    onRefused: (channel, reason) => refused.push(`${channel}: ${reason}`),
  });
  const window = (
    kind: 'portal' | 'consent' | undefined,
    url = `${APP}/${kind === 'consent' ? 'consent' : 'index'}.html`,
  ) => {
    const contents = new FakeWebContents(new FakeSession('persist:portal'));
    contents.mainFrame.url = url;
    if (kind) registry.add(contents as unknown as WebContents, kind);
    return contents;
  };
  return { calls, registry, events, refused, undo, window };
}

async function call(channel: Channel, event: unknown, request: unknown = {}) {
  return (await ipcMain.invoke(channel, event, request)) as IpcResult<unknown>;
}

beforeEach(() => resetElectronMock());

describe('registerIpc: the sender check (checklist #17)', () => {
  it('#17 registers exactly the contract’s invoke channels', () => {
    setup();
    const invoke = (Object.keys(SURFACE) as Channel[]).filter((c) => SURFACE[c].kind === 'invoke');
    expect([...ipcMain.handlers.keys()].sort()).toEqual(invoke.sort());
  });

  it('#17 our portal page in its main frame gets through', async () => {
    const { window, calls } = setup();
    const portal = window('portal');
    const r = await call('app:info', invokeEvent(portal));
    expect(r).toEqual({ ok: true, value: APP_INFO });
    expect(calls).toEqual([{ channel: 'app:info', windowKind: 'portal', windowId: String(portal.id) }]);
  });

  it('#17 a foreign origin is refused (FORBIDDEN_SENDER) and the handler never runs', async () => {
    const { window, calls, refused } = setup();
    for (const url of [
      'https://attacker.example/',
      'app://myna-companion.attacker.example/index.html',
      'file:///tmp/x.html',
      'about:blank',
    ]) {
      const r = await call('app:info', invokeEvent(window('portal', url)));
      expect(r.ok, url).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('FORBIDDEN_SENDER');
    }
    expect(calls).toEqual([]);
    expect(refused.every((l) => l.endsWith('foreign origin'))).toBe(true);
  });

  it('#17 a sub-frame is refused, even one showing our origin', async () => {
    const { window, calls } = setup();
    const portal = window('portal');
    const sub = new FakeWebFrameMain(`${APP}/index.html`, portal.mainFrame);
    const r = await call('app:info', invokeEvent(portal, sub));
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(calls).toEqual([]);
  });

  it('#17 a webContents main did not create is refused', async () => {
    const { window, calls } = setup();
    const stranger = window(undefined, `${APP}/index.html`);
    const r = await call('app:info', invokeEvent(stranger));
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(calls).toEqual([]);
  });

  it('#17 the wrong window kind is refused both ways (the portal cannot answer its own consent)', async () => {
    const { window, calls } = setup();
    const portal = window('portal');
    const consent = window('consent');
    expect(await call('consent:submit', invokeEvent(portal), { id: 'c1', pin: '1234' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await call('consent:get', invokeEvent(portal))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await call('app:info', invokeEvent(consent))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(calls).toEqual([]);
    expect(await call('consent:get', invokeEvent(consent))).toEqual({ ok: true, value: CONSENT });
  });

  it('#17 a destroyed, detached or missing frame is refused', async () => {
    const { window, calls } = setup();
    const a = window('portal');
    a.mainFrame.destroy();
    expect(await call('app:info', invokeEvent(a))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const b = window('portal');
    b.mainFrame.detached = true;
    expect(await call('app:info', invokeEvent(b))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const c = window('portal');
    expect(await call('app:info', invokeEvent(c, null))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(calls).toEqual([]);
  });

  it('#17 a frame whose getters throw (disposed WebFrameMain) is refused, not a crash', async () => {
    const { window } = setup();
    const contents = window('portal');
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
      detached: false,
      isDestroyed: () => false,
    };
    expect(await call('app:info', { sender: contents, senderFrame: disposed })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('#17 a window that closed is no longer ours', async () => {
    const { window, registry } = setup();
    const portal = window('portal');
    const event = invokeEvent(portal);
    portal.destroy();
    expect(registry.kindOf(portal.id)).toBeUndefined();
    expect(await call('app:info', event)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('after the sender check, requests are still validated by the contract', async () => {
    const { window, calls } = setup();
    const r = await call('app:info', invokeEvent(window('portal')), { extra: 'field' });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(calls).toEqual([]);
  });

  it('senderInfoOf reports what senderProblem needs', () => {
    const { window, registry } = setup();
    const portal = window('portal');
    expect(senderInfoOf(invokeEvent(portal) as never, registry)).toEqual({
      frameUrl: `${APP}/index.html`,
      isMainFrame: true,
      windowKind: 'portal',
    });
  });

  it('undo removes every handler', () => {
    const { undo } = setup();
    undo();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('registerIpc: events go only to our windows of the channel’s kind', () => {
  const inserted: CardEvent = { type: 'card-inserted', reader: 'R', atr: '3B', demo: true };

  it('card events reach portal windows showing our origin, never consent windows or strangers', () => {
    const { window, events } = setup();
    const portal = window('portal');
    const consent = window('consent');
    const stranger = window(undefined);
    const navigatedAway = window('portal', 'https://attacker.example/');
    expect(events.publish('card:event', inserted)).toBe(true);
    expect(portal.sent).toEqual([{ channel: 'card:event', args: [inserted] }]);
    expect(consent.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
    expect(navigatedAway.sent).toEqual([]);
    events.publish('consent:update', CONSENT);
    expect(consent.sent).toEqual([{ channel: 'consent:update', args: [CONSENT] }]);
    expect(portal.sent).toHaveLength(1);
  });

  it('a destroyed window gets nothing (and nothing throws)', () => {
    const { window, events } = setup();
    const portal = window('portal');
    portal.destroy();
    expect(() => events.publish('card:event', inserted)).not.toThrow();
  });

  it('undo stops the fan-out', () => {
    const { window, events, undo } = setup();
    const portal = window('portal');
    undo();
    events.publish('card:event', inserted);
    expect(portal.sent).toEqual([]);
  });
});
