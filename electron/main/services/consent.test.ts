import { describe, expect, it, vi } from 'vitest';
import { CardError } from '../../../native/apdu/errors.ts';
import { pinStatusOf } from '../../../native/pin/pin-rules.ts';
import type { ConsentView } from '../../ipc/contract.ts';
import { IpcFailure } from '../ipc/error-mapping.ts';
import { ConsentService } from './consent.ts';

function setup(timeoutMs?: number) {
  const views: ConsentView[] = [];
  const presenter = { show: vi.fn(), close: vi.fn() };
  const consent = new ConsentService({
    presenter,
    publish: (v) => views.push(v),
    ...(timeoutMs ? { idleTimeoutMs: timeoutMs } : {}),
  });
  const waitFor = async (pred: (v: ConsentView) => boolean): Promise<ConsentView> => {
    for (let i = 0; i < 200; i++) {
      const v = views.at(-1);
      if (v && pred(v)) return v;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`no matching consent view; last: ${JSON.stringify(views.at(-1))}`);
  };
  const id = () => views.at(-1)?.id ?? '';
  return { consent, presenter, views, waitFor, id };
}

const login = { kind: 'login', origin: 'http://127.0.0.1:1234' } as const;

describe('ConsentService', () => {
  it('runs nothing on the card until the consent window submits a PIN', async () => {
    const { consent, id, presenter, waitFor } = setup();
    const perform = vi.fn(async (pin: string) => `signed with ${pin.length}`);
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: true,
      status: async () => pinStatusOf('auth', 3),
      perform,
    });
    const v = await waitFor((x) => x.state === 'ready');
    expect(v).toMatchObject({
      purpose: login,
      pin: 'auth',
      remaining: 3,
      max: 3,
      demo: true,
      language: 'ja',
      kiosk: false,
    });
    expect(presenter.show).toHaveBeenCalledTimes(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(perform).not.toHaveBeenCalled();
    expect(consent.submit({ id: id(), pin: '1234' })).toEqual({ accepted: true });
    await expect(run).resolves.toBe('signed with 4');
    expect(perform).toHaveBeenCalledTimes(1);
    expect(presenter.close).toHaveBeenCalledTimes(1);
    expect(consent.busy).toBe(false);
  });

  it('shows a wrong PIN with the tries left and waits for the resident (never retries on its own)', async () => {
    const { consent, id, waitFor } = setup();
    let tries = 3;
    const perform = vi.fn(async (pin: string) => {
      if (pin !== '1234') throw new CardError('PIN_INCORRECT', { pin: 'auth', remaining: --tries });
      return 'ok';
    });
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', tries),
      perform,
    });
    await waitFor((x) => x.state === 'ready');
    consent.submit({ id: id(), pin: '9999' });
    const wrong = await waitFor((x) => x.state === 'wrong-pin');
    expect(wrong.remaining).toBe(2);
    expect(wrong.message?.ja).toMatch(/2/);
    await new Promise((r) => setTimeout(r, 20));
    expect(perform).toHaveBeenCalledTimes(1);
    consent.submit({ id: id(), pin: '1234' });
    await expect(run).resolves.toBe('ok');
    expect(perform).toHaveBeenCalledTimes(2);
  });

  it('turns to the blocked state at the last wrong PIN, accepts no more PINs and ends as PIN_BLOCKED', async () => {
    const { consent, id, waitFor } = setup();
    const perform = vi.fn(async () => {
      throw new CardError('PIN_INCORRECT', { pin: 'sign', remaining: 0 });
    });
    const run = consent.run({
      purpose: { kind: 'change-pin', pin: 'sign' },
      pin: 'sign',
      demo: false,
      status: async () => pinStatusOf('sign', 1),
      perform,
    });
    expect((await waitFor((x) => x.state === 'ready')).remaining).toBe(1);
    consent.submit({ id: id(), pin: 'ABC123', newPin: 'XYZ789' });
    const blocked = await waitFor((x) => x.state === 'blocked');
    expect(blocked.message?.ja).toMatch(/窓口/);
    expect(consent.submit({ id: id(), pin: 'ABC123', newPin: 'XYZ789' })).toEqual({ accepted: false });
    consent.cancel();
    await expect(run).rejects.toMatchObject({ code: 'PIN_BLOCKED' });
    expect(perform).toHaveBeenCalledTimes(1);
  });

  it('opens in the blocked state when the PIN is already blocked and never calls the card', async () => {
    const { consent, id, waitFor } = setup();
    const perform = vi.fn(async () => 'never');
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 0),
      perform,
    });
    await waitFor((x) => x.state === 'blocked');
    expect(consent.submit({ id: id(), pin: '1234' })).toEqual({ accepted: false });
    consent.cancel();
    await expect(run).rejects.toMatchObject({ code: 'PIN_BLOCKED' });
    expect(perform).not.toHaveBeenCalled();
  });

  it('a cancelled window ends as CONSENT_CANCELLED with nothing done', async () => {
    const { consent, presenter, waitFor } = setup();
    const perform = vi.fn(async () => 'never');
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 3),
      perform,
    });
    await waitFor((x) => x.state === 'ready');
    consent.cancel();
    await expect(run).rejects.toBeInstanceOf(IpcFailure);
    await expect(run).rejects.toMatchObject({ code: 'CONSENT_CANCELLED' });
    expect(perform).not.toHaveBeenCalled();
    expect(presenter.close).toHaveBeenCalledTimes(1);
  });

  it('refuses a second request while one is open, and times out an unattended window', async () => {
    const { consent, waitFor } = setup(50);
    const perform = vi.fn(async () => 'x');
    const first = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 3),
      perform,
    });
    await expect(
      consent.run({ purpose: login, pin: 'auth', demo: false, status: async () => pinStatusOf('auth', 3), perform }),
    ).rejects.toMatchObject({ code: 'CONSENT_BUSY' });
    await waitFor((x) => x.state === 'ready');
    await expect(first).rejects.toMatchObject({ code: 'CONSENT_TIMEOUT' });
    expect(perform).not.toHaveBeenCalled();
  });

  it('greets the resident in the language of the settings, with the PIN pad open in kiosks', async () => {
    const views: ConsentView[] = [];
    const consent = new ConsentService({
      presenter: { show() {}, close() {} },
      publish: (v) => views.push(v),
      presentation: () => ({ language: 'en', kiosk: true }),
    });
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 3),
      perform: async () => 1,
    });
    for (let i = 0; i < 100 && views.at(-1)?.state !== 'ready'; i++) await new Promise((r) => setTimeout(r, 2));
    expect(views.at(-1)).toMatchObject({ language: 'en', kiosk: true });
    consent.cancel();
    await expect(run).rejects.toMatchObject({ code: 'CONSENT_CANCELLED' });
  });

  it('a PIN typed for an earlier request never reaches the current one', async () => {
    const { consent, waitFor } = setup();
    const perform = vi.fn(async () => 'x');
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 3),
      perform,
    });
    await waitFor((x) => x.state === 'ready');
    expect(consent.submit({ id: 'an-older-request', pin: '1234' })).toEqual({ accepted: false });
    expect(consent.cancel('an-older-request')).toEqual({ cancelled: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(perform).not.toHaveBeenCalled();
    consent.cancel();
    await expect(run).rejects.toMatchObject({ code: 'CONSENT_CANCELLED' });
  });

  it('a view that would not fit the window is refused before the window opens', async () => {
    const { consent, presenter } = setup();
    const status = vi.fn(async () => pinStatusOf('sign', 5));
    const run = consent.run({
      purpose: { kind: 'login', origin: `https://${'a'.repeat(3000)}.example` },
      pin: 'auth',
      demo: false,
      status,
      perform: async () => 1,
    });
    await expect(run).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(presenter.show).not.toHaveBeenCalled();
    expect(status).not.toHaveBeenCalled();
    expect(consent.busy).toBe(false);
  });

  it('a malformed PIN is shown as a format problem and the window waits again', async () => {
    const { consent, id, waitFor } = setup();
    const perform = vi.fn(async (pin: string) => {
      if (!/^\d{4}$/.test(pin)) throw new CardError('PIN_FORMAT', { pin: 'auth', rule: '4 digits' });
      return 'ok';
    });
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 3),
      perform,
    });
    await waitFor((x) => x.state === 'ready');
    consent.submit({ id: id(), pin: '12' });
    const f = await waitFor((x) => x.state === 'format');
    expect(f.remaining).toBe(3);
    consent.submit({ id: id(), pin: '1234' });
    await expect(run).resolves.toBe('ok');
  });

  it('other card errors end the request with their own code', async () => {
    const { consent, id, waitFor } = setup();
    const run = consent.run({
      purpose: login,
      pin: 'auth',
      demo: false,
      status: async () => pinStatusOf('auth', 3),
      perform: async () => {
        throw new CardError('CARD_REMOVED');
      },
    });
    await waitFor((x) => x.state === 'ready');
    consent.submit({ id: id(), pin: '1234' });
    await expect(run).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect(consent.busy).toBe(false);
  });
});
