/**
 * The consent window's state machine (DESIGN §3): every PIN use goes through here.
 *
 * Main computes what the window shows (the purpose, from the exact bytes to be signed or the
 * origin it binds), reads the tries left before the first attempt, opens the window through
 * the presenter and waits for the resident. The PIN arrives from the consent window only
 * (the portal window has no channel that carries one) and is handed to `perform` for exactly
 * one card operation. A wrong PIN is shown with the tries left and the window waits for the
 * resident again: nothing here ever retries a PIN on its own.
 */
import { randomUUID } from 'node:crypto';
import { CardError, isCardError } from '../../../native/apdu/errors.ts';
import type { PinStatus } from '../../../native/pin/pin-rules.ts';
import { type ConsentPurpose, type ConsentView, ConsentViewSchema, type PinKind } from '../../ipc/contract.ts';
import { IpcFailure } from '../ipc/error-mapping.ts';

export interface ConsentPresenter {
  /** Opens (or focuses) the consent window. */
  show(): void;
  /** Closes it; called exactly once per request, however it ended. */
  close(): void;
}

export interface ConsentRequest<T> {
  purpose: ConsentPurpose;
  pin: PinKind;
  demo: boolean;
  /** Tries left, read before the window opens (no VERIFY with data). */
  status: () => Promise<PinStatus>;
  /** The one card operation the PIN authorises. `newPin` only for change-pin. */
  perform: (pin: string, newPin: string | undefined) => Promise<T>;
}

type Input = { kind: 'submit'; pin: string; newPin: string | undefined } | { kind: 'cancel' } | { kind: 'timeout' };

interface Pending {
  view: ConsentView;
  deliver: ((input: Input) => void) | undefined;
  /** A cancel that came before the window was waiting (e.g. kiosk session end during the tries read). */
  cancelled: boolean;
}

export interface ConsentServiceOptions {
  presenter: ConsentPresenter;
  publish: (view: ConsentView) => void;
  /** How long the window waits for the resident before giving up. Default 3 minutes. */
  idleTimeoutMs?: number;
  /** How the window should greet the resident: language from settings, PIN pad open in kiosks. */
  presentation?: () => { language: 'ja' | 'en'; kiosk: boolean };
}

export class ConsentService {
  private readonly opts: ConsentServiceOptions;
  private pending: Pending | undefined;

  constructor(opts: ConsentServiceOptions) {
    this.opts = opts;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  view(): ConsentView {
    if (!this.pending) throw new IpcFailure('NOT_FOUND');
    return this.pending.view;
  }

  submit(input: { id: string; pin: string; newPin?: string | undefined }): { accepted: boolean } {
    const p = this.pending;
    if (p?.view.id !== input.id) return { accepted: false };
    if (!p.deliver || p.view.state === 'working' || p.view.state === 'blocked') return { accepted: false };
    if (p.view.purpose.kind === 'change-pin' && !input.newPin) return { accepted: false };
    p.deliver({ kind: 'submit', pin: input.pin, newPin: input.newPin });
    return { accepted: true };
  }

  /** From the consent window: `id` names its request. Main omits it (window closed, kiosk session end, quit). */
  cancel(id?: string): { cancelled: boolean } {
    const p = this.pending;
    if (!p || (id !== undefined && p.view.id !== id)) return { cancelled: false };
    if (p.deliver) p.deliver({ kind: 'cancel' });
    else p.cancelled = true;
    return { cancelled: true };
  }

  async run<T>(req: ConsentRequest<T>): Promise<T> {
    if (this.pending) throw new IpcFailure('CONSENT_BUSY');
    // Claimed before the first await so that two requests cannot both pass the check.
    const pending: Pending = {
      view: {
        id: randomUUID(),
        purpose: req.purpose,
        pin: req.pin,
        remaining: 0,
        max: 1,
        state: 'working',
        demo: req.demo,
        ...(this.opts.presentation?.() ?? { language: 'ja', kiosk: false }),
      },
      deliver: undefined,
      cancelled: false,
    };
    this.pending = pending;
    let shown = false;
    try {
      // What the window would show must fit the contract before anything is shown; otherwise
      // the resident would face a window that cannot render (and a PIN field that never comes).
      if (!ConsentViewSchema.safeParse(pending.view).success) throw new IpcFailure('BAD_REQUEST', { field: 'consent' });
      const status = await req.status();
      const blocked = status.state === 'blocked';
      this.update(pending, {
        remaining: status.remaining,
        max: status.max,
        state: blocked ? 'blocked' : 'ready',
        ...(blocked ? { message: blockedText(req.pin) } : {}),
      });
      this.opts.presenter.show();
      shown = true;
      for (;;) {
        const input = await this.nextInput(pending);
        if (input.kind === 'timeout') throw new IpcFailure('CONSENT_TIMEOUT');
        if (input.kind === 'cancel') {
          if (pending.view.state === 'blocked') throw new CardError('PIN_BLOCKED', { pin: req.pin, remaining: 0 });
          throw new IpcFailure('CONSENT_CANCELLED');
        }
        this.update(pending, { state: 'working', message: undefined });
        try {
          return await req.perform(input.pin, input.newPin);
        } catch (e) {
          if (!this.absorbPinError(pending, req.pin, e)) throw e;
        }
      }
    } finally {
      this.pending = undefined;
      if (shown) this.opts.presenter.close();
    }
  }

  /** Wrong / blocked / malformed PIN: shown in the window, which waits again. Others end the request. */
  private absorbPinError(p: Pending, pin: PinKind, e: unknown): boolean {
    if (!isCardError(e)) return false;
    const message = { ja: e.messageJa, en: e.messageEn };
    if (e.code === 'PIN_INCORRECT') {
      const remaining = e.details.remaining ?? 0;
      this.update(p, {
        remaining,
        state: remaining === 0 ? 'blocked' : 'wrong-pin',
        message: remaining === 0 ? blockedText(pin) : message,
      });
      return true;
    }
    if (e.code === 'PIN_BLOCKED') {
      this.update(p, { remaining: 0, state: 'blocked', message: blockedText(pin) });
      return true;
    }
    if (e.code === 'PIN_FORMAT') {
      this.update(p, { state: 'format', message });
      return true;
    }
    return false;
  }

  private update(p: Pending, patch: Partial<ConsentView>): void {
    const next: ConsentView = { ...p.view, ...patch };
    if (next.message === undefined) delete next.message;
    p.view = next;
    this.opts.publish(next);
  }

  private nextInput(p: Pending): Promise<Input> {
    if (p.cancelled) return Promise.resolve({ kind: 'cancel' });
    return new Promise<Input>((resolve) => {
      const timer = setTimeout(() => finish({ kind: 'timeout' }), this.opts.idleTimeoutMs ?? 180_000);
      const finish = (input: Input) => {
        clearTimeout(timer);
        p.deliver = undefined;
        resolve(input);
      };
      p.deliver = finish;
    });
  }
}

function blockedText(pin: PinKind): { ja: string; en: string } {
  const e = new CardError('PIN_BLOCKED', { pin, remaining: 0 });
  return { ja: e.messageJa, en: e.messageEn };
}
