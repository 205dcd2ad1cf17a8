import { describe, expect, it, vi } from 'vitest';
import { CardError } from '../../../native/apdu/errors.ts';
import { contract } from '../../ipc/contract.ts';
import { SigningError } from '../services/signing/index.ts';
import { type CallContext, dispatch, EventHub, type Handlers } from './dispatch.ts';
import { IpcFailure } from './error-mapping.ts';

const portal: CallContext = { windowKind: 'portal', windowId: '1' };
const consentWin: CallContext = { windowKind: 'consent', windowId: '2' };

function handlers(over: Partial<Handlers> = {}): Handlers {
  const fail = () => {
    throw new Error('not under test');
  };
  const base = Object.fromEntries(Object.keys(contract).map((k) => [k, fail])) as unknown as Handlers;
  return { ...base, ...over };
}

const settingsView = {
  language: 'ja',
  portalUrl: null,
  demoMode: true,
  preferredReader: null,
  kiosk: { enabled: false, idleTimeoutSeconds: 120 },
} as const;

describe('dispatch', () => {
  it('parses the request, runs the handler and parses the response', async () => {
    const h = vi.fn(() => ({ ...settingsView, language: 'en' as const }));
    const r = await dispatch(handlers({ 'settings:set': h }), 'settings:set', { language: 'en' }, portal);
    expect(r).toEqual({ ok: true, value: { ...settingsView, language: 'en' } });
    expect(h).toHaveBeenCalledWith({ language: 'en' }, portal);
  });

  it('refuses unknown channels, event channels and channels of the other window kind', async () => {
    const h = handlers({ 'consent:cancel': () => ({ cancelled: true as const }) });
    expect(await dispatch(h, 'card:apdu', {}, portal)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatch(h, 'card:event', {}, portal)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await dispatch(h, '__proto__', {}, portal)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatch(h, 'consent:cancel', { id: 'c1' }, portal)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await dispatch(h, 'consent:cancel', { id: 'c1' }, consentWin)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
  });

  it('a malformed request never reaches the handler and the error names the field, not the value', async () => {
    const h = vi.fn();
    const hs = handlers({ 'pin:change': h, 'consent:submit': h, 'settings:set': h });
    const bad = [
      ['pin:change', { pin: 'admin' }, portal],
      ['pin:change', { pin: 'auth', extra: 1 }, portal],
      ['pin:change', 'auth', portal],
      ['settings:set', { portalUrl: 'https://evil.example' }, portal],
      ['consent:submit', { pin: 12345678 }, consentWin],
      ['consent:submit', { pin: 'x'.repeat(33) }, consentWin],
    ] as const;
    for (const [channel, req, ctx] of bad) {
      const r = await dispatch(hs, channel, req, ctx);
      expect(r.ok, `${channel} ${JSON.stringify(req)}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('BAD_REQUEST');
        expect(JSON.stringify(r.error)).not.toContain('12345678');
      }
    }
    expect(h).not.toHaveBeenCalled();
  });

  it('turns card, signing and IPC failures into their typed errors, and anything else into INTERNAL', async () => {
    const throwing = (e: unknown) => handlers({ 'pin:status': () => Promise.reject(e) });
    const card = await dispatch(throwing(new CardError('NO_CARD')), 'pin:status', {}, portal);
    expect(card).toMatchObject({
      ok: false,
      error: { code: 'NO_CARD', message: { ja: expect.stringMatching(/カード/) } },
    });
    const sig = await dispatch(
      throwing(new SigningError('FORM_INVALID', { field: 'form.a' })),
      'pin:status',
      {},
      portal,
    );
    expect(sig).toMatchObject({ ok: false, error: { code: 'FORM_INVALID', details: { field: 'form.a' } } });
    const ipc = await dispatch(throwing(new IpcFailure('CONSENT_CANCELLED')), 'pin:status', {}, portal);
    expect(ipc).toMatchObject({ ok: false, error: { code: 'CONSENT_CANCELLED' } });
    const sys = Object.assign(new Error('ENOENT: /home/user/x'), { code: 'ENOENT' });
    expect(await dispatch(throwing(sys), 'pin:status', {}, portal)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    const secret = new Error('at /home/user/secret-path: token=abc');
    const internal = await dispatch(throwing(secret), 'pin:status', {}, portal);
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toMatch(/secret|token|stack/);
  });

  it('a handler answering outside the contract yields BAD_RESPONSE, never the stray data', async () => {
    const h = handlers({ 'pin:status': async () => ({ pins: [], myNumber: '123456789012' }) as never });
    const r = await dispatch(h, 'pin:status', {}, portal);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
    expect(JSON.stringify(r)).not.toContain('123456789012');
  });

  it('logs channel and outcome only', async () => {
    const log = vi.fn();
    await dispatch(
      handlers({ 'consent:submit': () => ({ accepted: true }) }),
      'consent:submit',
      { id: 'c1', pin: '4321' },
      consentWin,
      log,
    );
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(log.mock.calls)).not.toContain('4321');
    expect(log.mock.calls[0]?.[0]).toMatchObject({ channel: 'consent:submit', outcome: 'ok' });
  });
});

describe('EventHub', () => {
  it('sends valid payloads to the senders with the channel window kind, and drops invalid ones', () => {
    const hub = new EventHub();
    const sent: unknown[] = [];
    const off = hub.addSender((kind, channel, payload) => sent.push([kind, channel, payload]));
    expect(hub.publish('card:event', { type: 'card-removed', reader: 'R' })).toBe(true);
    expect(hub.publish('card:event', { type: 'card-removed', reader: 'R', atr: 'x' } as never)).toBe(false);
    expect(sent).toEqual([['portal', 'card:event', { type: 'card-removed', reader: 'R' }]]);
    off();
    hub.publish('card:event', { type: 'service-up' });
    expect(sent).toHaveLength(1);
  });
});
