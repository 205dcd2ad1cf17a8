/**
 * Creates our BrowserWindows: webPreferences from buildWebPreferences() (restated literally
 * at the constructor for reviewers and Electronegativity; a test checks that both agree),
 * a prepared session, the guards, the registry entry for the IPC sender check, then the page.
 */
import { BrowserWindow, type Session, session } from 'electron';
import type { WindowKind } from '../../ipc/surface.ts';
import { buildWebPreferences, type RunMode } from '../security/web-preferences.ts';
import { guardWebContents } from './guards.ts';
import { pageUrl } from './pages.ts';
import { prepareSession, type SessionSetupOptions } from './session-setup.ts';
import { consentWindowOptions, portalWindowOptions } from './window-options.ts';
import type { WindowRegistry } from './window-registry.ts';

export interface WindowFactoryOptions {
  mode: RunMode;
  appOrigin: string;
  /** Where portal.cjs and consent.cjs are (out/preload). */
  preloadDir: string;
  registry: WindowRegistry;
  session: Omit<SessionSetupOptions, 'mode' | 'appOrigin'>;
  allowedHosts: readonly string[];
  openExternal: (url: string) => Promise<void>;
  onActivity?: () => void;
}

export interface CreateWindowOptions {
  partition: string;
  /** The consent window's owner. */
  parent?: BrowserWindow;
}

export class WindowFactory {
  private readonly options: WindowFactoryOptions;

  constructor(options: WindowFactoryOptions) {
    this.options = options;
  }

  get mode(): RunMode {
    return this.options.mode;
  }

  /** The partition's session, prepared (protocol, permissions, request filter) before any page loads. */
  sessionFor(partition: string): Session {
    return prepareSession(session.fromPartition(partition), {
      ...this.options.session,
      mode: this.options.mode,
      appOrigin: this.options.appOrigin,
    });
  }

  create(kind: WindowKind, { partition, parent }: CreateWindowOptions): BrowserWindow {
    const { mode } = this.options;
    this.sessionFor(partition);
    const prefs = buildWebPreferences(kind, {
      preloadPath: `${this.options.preloadDir}/${kind}.cjs`,
      partition,
      mode,
    });
    const frame = kind === 'portal' ? portalWindowOptions(mode) : { ...consentWindowOptions(mode), parent };
    const win = new BrowserWindow({
      ...frame,
      webPreferences: {
        ...prefs,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    if (kind === 'consent') win.setContentProtection(true);
    if (mode !== 'development') win.removeMenu();
    const contents = win.webContents;
    guardWebContents(contents, {
      kind,
      appOrigin: this.options.appOrigin,
      mode,
      allowedHosts: this.options.allowedHosts,
      openExternal: this.options.openExternal,
      ...(this.options.onActivity ? { onActivity: this.options.onActivity } : {}),
    });
    this.options.registry.add(contents, kind);
    win.once('ready-to-show', () => win.show());
    void win.loadURL(pageUrl(this.options.appOrigin, kind)).catch(() => {
      // A failed load leaves an empty window; the guards have already refused anything foreign.
    });
    return win;
  }
}
