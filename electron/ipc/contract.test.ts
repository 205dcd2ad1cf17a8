import { describe, expect, it, vi } from 'vitest';
import { buildBridge } from './bridge.ts';
import { contract } from './contract.ts';
import { type Channel, channelsOf, SURFACE } from './surface.ts';

describe('the IPC contract', () => {
  it('declares every channel of the surface with schemas of its kind, and nothing else', () => {
    expect(Object.keys(contract).sort()).toEqual(Object.keys(SURFACE).sort());
    for (const [name, def] of Object.entries(contract)) {
      const s = SURFACE[name as Channel];
      expect(def).toMatchObject(s);
      if (def.kind === 'invoke') {
        expect(def.request, name).toBeDefined();
        expect(def.response, name).toBeDefined();
      } else expect('payload' in def && def.payload, name).toBeTruthy();
    }
  });

  it('function names are unique within a window kind', () => {
    for (const kind of ['portal', 'consent'] as const) {
      const fns = channelsOf(kind).map((c) => SURFACE[c].fn);
      expect(new Set(fns).size).toBe(fns.length);
    }
  });

  it('offers no raw APDU channel and no way to sign caller-supplied bytes', () => {
    for (const name of Object.keys(SURFACE)) expect(name).not.toMatch(/apdu|raw|transmit|sign-?bytes|digest/i);
    // The only signing requests: a portal challenge (origin bound by main) and an application draft.
    const login = contract['auth:login'].request;
    expect(login.safeParse({ challenge: 'A'.repeat(43) }).success).toBe(true);
    expect(login.safeParse({ challenge: 'A'.repeat(43), origin: 'https://x' }).success).toBe(false);
    expect(login.safeParse({ challenge: 'A'.repeat(43), digestInfo: 'AAAA' }).success).toBe(false);
    const sign = contract['application:sign'].request;
    expect(
      sign.safeParse({ draft: { procedureId: 'a', municipalityCode: '1', form: {}, attachments: [] }, manifest: 'x' })
        .success,
    ).toBe(false);
  });

  it('no PIN travels on a portal-window channel', () => {
    for (const c of channelsOf('portal')) {
      const def = contract[c];
      if (def.kind !== 'invoke') continue;
      const shape = (def.request as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      const keys = Object.keys(shape).filter((k) => c !== 'pin:change' || k !== 'pin');
      for (const k of keys) expect(k, c).not.toMatch(/pin|password/i);
    }
    // pin:change names which PIN, never its value.
    expect(contract['pin:change'].request.safeParse({ pin: '1234' }).success).toBe(false);
  });
});

describe('buildBridge', () => {
  it('exposes exactly one function per channel of the window kind', () => {
    const t = { invoke: vi.fn(async () => ({ ok: true, value: 1 })), subscribe: vi.fn(() => () => {}) };
    for (const kind of ['portal', 'consent'] as const) {
      const api = buildBridge(kind, t);
      expect(Object.keys(api).sort()).toEqual(
        channelsOf(kind)
          .map((c) => SURFACE[c].fn)
          .sort(),
      );
      expect(Object.isFrozen(api)).toBe(true);
    }
  });

  it('invokes by channel name and hands listeners the payload only', async () => {
    let deliver: ((p: unknown) => void) | undefined;
    const t = {
      invoke: vi.fn(async () => ({ ok: true, value: 'v' })),
      subscribe: vi.fn((_c: Channel, l: (p: unknown) => void) => {
        deliver = l;
        return () => {};
      }),
    };
    const api = buildBridge('portal', t);
    await api.getCardState();
    expect(t.invoke).toHaveBeenCalledWith('card:state', {});
    const seen: unknown[][] = [];
    api.onCardEvent((...args: unknown[]) => seen.push(args));
    deliver?.({ type: 'service-up' });
    expect(seen).toEqual([[{ type: 'service-up' }]]);
    expect(() => api.onCardEvent(42 as never)).toThrow(TypeError);
  });
});
