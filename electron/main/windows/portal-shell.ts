/**
 * The portal window's life: which partitions it and its consent window use, and — in kiosk
 * mode — the wipe at the end of a resident's session (DESIGN §4 "Kiosk session",
 * electron-anchors §6):
 *
 * 1. main's services end the session first (pending consent cancelled, PortalSession cookies
 *    dropped), so that nothing the next screen asks the portal can carry the last resident's
 *    session;
 * 2. the consent window closes; a fresh pair of in-memory partitions (`kiosk-<random>`, never
 *    `persist:`, never reused) gets a new portal window on the attract screen;
 * 3. the old window is destroyed (its renderer process, and with it the page's memory, goes);
 * 4. the old partitions are cleared: clearData() (cookies, storage, IndexedDB, service workers,
 *    cache…), clearCache(), clearAuthCache();
 * 5. the services' session end runs once more, for a response that was in flight.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserWindow, Session } from 'electron';
import type { WindowKind } from '../../ipc/surface.ts';
import type { RunMode } from '../security/web-preferences.ts';
import { wipeSession } from './session-setup.ts';

/** The part of WindowFactory the shell uses. */
export interface WindowMaker {
  create(kind: WindowKind, options: { partition: string; parent?: BrowserWindow }): BrowserWindow;
  sessionFor(partition: string): Session;
}

export interface PortalShellOptions {
  mode: RunMode;
  windows: WindowMaker;
  /** Services' own session end (compose.ts `endSession`: consent aborted, cookies dropped). */
  endServicesSession: () => void;
  /** Closes the consent window (ElectronConsentPresenter.close). */
  closeConsent: () => void;
  /** The portal window's renderer died (crash, OOM, killed). */
  onRendererGone?: () => void;
  newId?: () => string;
}

export interface Partitions {
  portal: string;
  consent: string;
}

export function partitionsFor(mode: RunMode, id: string): Partitions {
  if (mode !== 'kiosk') return { portal: 'persist:portal', consent: 'consent' };
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new Error('bad partition id');
  return { portal: `kiosk-${id}`, consent: `kiosk-${id}-consent` };
}

export class PortalShell {
  private readonly options: PortalShellOptions;
  private readonly newId: () => string;
  private current: { window: BrowserWindow; partitions: Partitions } | undefined;
  private resetting: Promise<void> | undefined;

  constructor(options: PortalShellOptions) {
    this.options = options;
    this.newId = options.newId ?? randomUUID;
  }

  get window(): BrowserWindow | undefined {
    const w = this.current?.window;
    return w && !w.isDestroyed() ? w : undefined;
  }

  get partitions(): Partitions | undefined {
    return this.current?.partitions;
  }

  /** Opens the portal window (the first one, or again after it was closed). */
  open(): BrowserWindow {
    const existing = this.window;
    if (existing) return existing;
    const partitions = partitionsFor(this.options.mode, this.newId());
    const window = this.options.windows.create('portal', { partition: partitions.portal });
    window.webContents.on('render-process-gone', () => this.options.onRendererGone?.());
    this.current = { window, partitions };
    return window;
  }

  /** The consent window, owned by the portal window, in the current consent partition. */
  openConsent(): BrowserWindow {
    const parent = this.open();
    const partitions = this.current?.partitions ?? partitionsFor(this.options.mode, this.newId());
    return this.options.windows.create('consent', { partition: partitions.consent, parent });
  }

  /** Kiosk session end: the wipe described above. Calls while one runs share it. */
  resetSession(): Promise<void> {
    this.resetting ??= this.wipe().finally(() => {
      this.resetting = undefined;
    });
    return this.resetting;
  }

  private async wipe(): Promise<void> {
    this.options.endServicesSession();
    this.options.closeConsent();
    const old = this.current;
    this.current = undefined;
    this.open();
    if (old && !old.window.isDestroyed()) old.window.destroy();
    if (old) {
      for (const p of [old.partitions.portal, old.partitions.consent])
        await wipeSession(this.options.windows.sessionFor(p));
    }
    this.options.endServicesSession();
  }
}
