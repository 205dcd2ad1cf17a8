/**
 * Kiosk mode's Electron side (DESIGN §4 "Kiosk session"): helper B's pure KioskController
 * decides when a resident's session starts and ends; this adapter feeds it the card events and
 * the resident's activity, and hands its onEnd to the portal shell's wipe.
 *
 * Activity comes from two places: keyboard input in our windows (before-input-event, via
 * WindowFactory's onActivity) and the OS idle clock (powerMonitor), which also sees touch and
 * pointer input that never reaches before-input-event.
 */
import type { CardEvent, CardState } from '../../ipc/contract.ts';
import { KioskController, type KioskEndReason, type KioskTimers } from '../services/kiosk/index.ts';

export interface KioskCardSource {
  on(event: 'event', listener: (e: CardEvent) => void): unknown;
  off(event: 'event', listener: (e: CardEvent) => void): unknown;
  state(): CardState;
}

export interface KioskAdapterOptions {
  /** PortalShell.resetSession. */
  wipe: (reason: KioskEndReason) => Promise<void>;
  card: KioskCardSource;
  idleTimeoutMs: number;
  /** powerMonitor: seconds since the last input anywhere on the machine. */
  systemIdleSeconds?: () => number;
  /** Default 5 s. */
  idlePollMs?: number;
  timers?: KioskTimers;
  onError?: (error: unknown, reason: KioskEndReason) => void;
}

export interface KioskAdapter {
  readonly controller: KioskController;
  /** Input in one of our windows. */
  activity(): void;
  dispose(): void;
}

export function startKioskAdapter(options: KioskAdapterOptions): KioskAdapter {
  const controller = new KioskController({
    idleTimeoutMs: options.idleTimeoutMs,
    onEnd: (reason) => options.wipe(reason),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const onCard = (e: CardEvent) => {
    if (e.type === 'card-inserted') controller.cardInserted();
    // An unplugged reader takes its card with it; pcsclite may not report the card first.
    else if (e.type === 'card-removed' || e.type === 'reader-removed') controller.cardRemoved();
  };
  options.card.on('event', onCard);
  if (options.card.state().card.status === 'present') controller.cardInserted();

  const pollMs = options.idlePollMs ?? 5000;
  const poll =
    options.systemIdleSeconds === undefined
      ? undefined
      : setInterval(() => {
          if (options.systemIdleSeconds !== undefined && options.systemIdleSeconds() * 1000 < pollMs) {
            controller.activity();
          }
        }, pollMs);
  poll?.unref?.();

  return {
    controller,
    activity: () => controller.activity(),
    dispose: () => {
      if (poll !== undefined) clearInterval(poll);
      options.card.off('event', onCard);
      controller.dispose();
    },
  };
}
