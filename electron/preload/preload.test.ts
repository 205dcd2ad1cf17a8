/**
 * Electron security checklist #20 (and #3): each preload exposes exactly its window kind's
 * contract functions under one global, nothing else, and listeners get payloads only — never
 * the IpcRendererEvent (whose `sender` is ipcRenderer itself).
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelsOf, SURFACE, type WindowKind } from '../ipc/surface.ts';

type ElectronMock = typeof import('../../tests/mocks/electron.ts');

/** Loads a preload afresh, with a fresh fake electron, and returns what it exposed. */
async function loadPreload(kind: WindowKind): Promise<{ electron: ElectronMock; exposed: Map<string, unknown> }> {
  vi.resetModules();
  const electron = (await import('electron')) as unknown as ElectronMock;
  electron.resetElectronMock();
  await import(kind === 'portal' ? './portal.ts' : './consent.ts');
  return { electron, exposed: electron.contextBridge.exposed };
}

const fnsOf = (kind: WindowKind) => channelsOf(kind).map((c) => SURFACE[c].fn);

beforeEach(() => {
  vi.resetModules();
});

describe('preloads (checklist #20, #3)', () => {
  for (const [kind, globalName] of [
    ['portal', 'myna'],
    ['consent', 'mynaConsent'],
  ] as const) {
    it(`#20 the ${kind} preload exposes exactly window.${globalName} with the contract’s ${kind} functions`, async () => {
      const { exposed } = await loadPreload(kind);
      expect([...exposed.keys()]).toEqual([globalName]);
      const api = exposed.get(globalName) as Record<string, unknown>;
      expect(Object.keys(api).sort()).toEqual(fnsOf(kind).sort());
      for (const fn of Object.values(api)) expect(typeof fn).toBe('function');
      expect(Object.isFrozen(api)).toBe(true);
      // Nothing generic: no invoke/send/on, no ipcRenderer, no require.
      for (const key of ['invoke', 'send', 'on', 'ipcRenderer', 'require', 'process', 'electron']) {
        expect(api, key).not.toHaveProperty(key);
      }
    });
  }

  it('#20 the two windows’ surfaces do not overlap (the portal cannot submit a PIN)', async () => {
    const portal = (await loadPreload('portal')).exposed.get('myna') as Record<string, unknown>;
    expect(portal).not.toHaveProperty('submitPin');
    expect(portal).not.toHaveProperty('getConsent');
    const consent = (await loadPreload('consent')).exposed.get('mynaConsent') as Record<string, unknown>;
    expect(consent).not.toHaveProperty('login');
    expect(consent).not.toHaveProperty('signApplication');
  });

  it('#20 an invoke function forwards its one request to its channel and returns main’s result', async () => {
    const { electron, exposed } = await loadPreload('portal');
    electron.ipcRenderer.respond = (channel) => ({ ok: true, value: { channel } });
    const api = exposed.get('myna') as Record<string, (r?: unknown) => Promise<unknown>>;
    expect(await api.login?.({ challenge: 'c' })).toEqual({ ok: true, value: { channel: 'auth:login' } });
    expect(await api.getAppInfo?.()).toEqual({ ok: true, value: { channel: 'app:info' } });
    expect(electron.ipcRenderer.invoked).toEqual([
      { channel: 'auth:login', args: [{ challenge: 'c' }] },
      { channel: 'app:info', args: [{}] },
    ]);
  });

  it('#20 a failed invoke becomes a typed INTERNAL error, never Electron’s message', async () => {
    const { electron, exposed } = await loadPreload('consent');
    electron.ipcRenderer.respond = () => {
      throw new Error("Error invoking remote method 'consent:get': secret main stack");
    };
    const api = exposed.get('mynaConsent') as Record<string, () => Promise<unknown>>;
    const r = (await api.getConsent?.()) as { ok: boolean; error: { code: string; message: { en: string } } };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('INTERNAL');
    expect(JSON.stringify(r)).not.toContain('secret');
  });

  it('#20 event listeners receive only the payload, never the IpcRendererEvent; unsubscribe works', async () => {
    const { electron, exposed } = await loadPreload('portal');
    const api = exposed.get('myna') as Record<string, (l: (...args: unknown[]) => void) => () => void>;
    const got: unknown[][] = [];
    const off = api.onCardEvent?.((...args) => got.push(args));
    const payload = { type: 'card-removed', reader: 'R' };
    electron.ipcRenderer.deliver('card:event', payload);
    expect(got).toEqual([[payload]]);
    expect(got[0]?.[0]).not.toHaveProperty('sender');
    off?.();
    electron.ipcRenderer.deliver('card:event', payload);
    expect(got).toHaveLength(1);
    expect(electron.ipcRenderer.listenerCount('card:event')).toBe(0);
  });

  it('#20 a listener is subscribed to its own channel only', async () => {
    const { electron, exposed } = await loadPreload('consent');
    const api = exposed.get('mynaConsent') as Record<string, (l: (p: unknown) => void) => () => void>;
    const got: unknown[] = [];
    api.onConsentUpdate?.((p) => got.push(p));
    electron.ipcRenderer.deliver('card:event', { type: 'service-up' });
    electron.ipcRenderer.deliver('consent:update', { id: 'c' });
    expect(got).toEqual([{ id: 'c' }]);
  });

  it('#20 a non-function listener is refused', async () => {
    const { exposed } = await loadPreload('portal');
    const api = exposed.get('myna') as Record<string, (l: unknown) => unknown>;
    expect(() => api.onOutboxChange?.('not a function')).toThrow(TypeError);
  });

  it('the preloads import only electron and the IPC surface (zod stays out of the bundle)', () => {
    const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
    for (const file of ['./portal.ts', './consent.ts', './expose.ts']) {
      const specs = [...read(file).matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map((m) =>
        m[1] ? `type ${m[2]}` : m[2],
      );
      for (const s of specs) {
        expect(
          s === 'electron' || s === './expose.ts' || s === '../ipc/bridge.ts' || s?.startsWith('type '),
          `${file}: ${s}`,
        ).toBe(true);
      }
    }
    // bridge.ts reaches contract.ts (zod) only through type imports, which are erased.
    const bridge = read('../ipc/bridge.ts');
    expect(bridge).not.toMatch(/^import\s+(?!type\b)[^'"]*from\s+'\.\/contract\.ts'/m);
    expect(bridge).not.toMatch(/from\s+'zod'/);
  });
});
