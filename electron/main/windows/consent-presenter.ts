/**
 * The consent service's window (DESIGN §3 "Consent window"), as the ConsentPresenter it asks
 * for: show() opens or focuses the modal window, close() destroys it. A resident closing the
 * window themselves is a cancel, reported through onDismissed (→ ConsentService.cancel()).
 */
import type { BrowserWindow } from 'electron';
import type { ConsentPresenter } from '../services/consent.ts';

export interface ConsentPresenterOptions {
  /** Creates the consent window (WindowFactory.create('consent', …) with the portal window as parent). */
  open: () => BrowserWindow;
  /** The resident closed the window (not main): cancel the pending request. */
  onDismissed: () => void;
}

export class ElectronConsentPresenter implements ConsentPresenter {
  private readonly options: ConsentPresenterOptions;
  private window: BrowserWindow | undefined;

  constructor(options: ConsentPresenterOptions) {
    this.options = options;
  }

  get isOpen(): boolean {
    return this.window !== undefined && !this.window.isDestroyed();
  }

  show(): void {
    const current = this.window;
    if (current && !current.isDestroyed()) {
      current.focus();
      return;
    }
    const win = this.options.open();
    this.window = win;
    win.once('closed', () => {
      if (this.window !== win) return; // closed by main: nothing to report
      this.window = undefined;
      this.options.onDismissed();
    });
  }

  close(): void {
    const win = this.window;
    this.window = undefined;
    if (win && !win.isDestroyed()) win.destroy();
  }
}
